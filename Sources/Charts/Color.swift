/// An sRGB colour with straight (not premultiplied) alpha in [0, 1].
public struct Color: Sendable, Hashable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public var alpha: Double

    public init(r: UInt8, g: UInt8, b: UInt8, alpha: Double = 1) {
        self.r = r; self.g = g; self.b = b; self.alpha = min(max(alpha, 0), 1)
    }
    /// `Color(hex: 0xE69F00)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF), alpha: alpha)
    }
    public func withAlpha(_ a: Double) -> Color { Color(r: r, g: g, b: b, alpha: a) }

    /// This colour mixed with `other`: `t = 0` gives self, `t = 1` gives other (opaque result).
    public func mixed(with other: Color, _ t: Double) -> Color {
        func m(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
        return Color(r: m(r, other.r), g: m(g, other.g), b: m(b, other.b))
    }
    /// `#rrggbb`.
    public var hexString: String {
        func h(_ v: UInt8) -> String { let s = String(v, radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + h(r) + h(g) + h(b)
    }
    /// Relative luminance (Rec. 709 weights on sRGB values; good enough to choose black or white text).
    public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)
    /// Text and axis colour (matplotlib's is black; a very dark grey prints the same and looks softer).
    public static let ink = Color(hex: 0x222222)
    public static let gridGrey = Color(hex: 0xDDDDDD)

    /// The Okabe–Ito colour-blind-safe categorical palette (Okabe & Ito 2008), reordered so the first
    /// colours are the most distinct, black moved last.
    public static let palette: [Color] = [
        Color(hex: 0x0072B2), // blue
        Color(hex: 0xE69F00), // orange
        Color(hex: 0x009E73), // bluish green
        Color(hex: 0xD55E00), // vermillion
        Color(hex: 0xCC79A7), // reddish purple
        Color(hex: 0x56B4E9), // sky blue
        Color(hex: 0xF0E442), // yellow
        Color(hex: 0x000000), // black
    ]

    /// Viridis (van der Walt & Smith, matplotlib's default colormap) at `t` in [0, 1], linearly
    /// interpolated in the 256-entry table; NaN gives mid grey, values outside are clamped.
    public static func viridis(_ t: Double) -> Color {
        guard t.isFinite else { return Color(hex: 0x888888) }
        let u = min(max(t, 0), 1) * 255
        let i = min(Int(u), 254)
        let f = u - Double(i)
        let a = viridisTable[i], b = viridisTable[i + 1]
        func c(_ k: Int) -> UInt8 { UInt8(min(max(((a[k] * (1 - f) + b[k] * f) * 255).rounded(), 0), 255)) }
        return Color(r: c(0), g: c(1), b: c(2))
    }
}
