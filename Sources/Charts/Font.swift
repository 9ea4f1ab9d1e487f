import CGD
import Foundation

/// The font every chart uses (DejaVu Sans), found at run time, and text measurement through libgd's
/// FreeType renderer so that layout, PNG and SVG agree on text extents.
public enum ChartFont {
    /// Places searched in order; `VAESCOPE_FONT` (a .ttf path) comes first when set.
    public static var searchPaths: [String] {
        var paths: [String] = []
        if let env = ProcessInfo.processInfo.environment["VAESCOPE_FONT"], !env.isEmpty { paths.append(env) }
        paths += [
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/local/share/fonts/DejaVuSans.ttf",
            "/opt/homebrew/share/fonts/DejaVuSans.ttf",
            "/Library/Fonts/DejaVuSans.ttf",
        ]
        return paths
    }

    /// The path of DejaVu Sans, or `ChartsError.fontNotFound`.
    public static func path() throws -> String {
        let fm = FileManager.default
        for p in searchPaths where fm.isReadableFile(atPath: p) { return p }
        throw ChartsError.fontNotFound(searched: searchPaths)
    }
}

/// Extents of one run of text, in pixels at 1×.
public struct TextExtent: Sendable, Hashable {
    /// Advance width of the run.
    public var width: Double
    /// Height above the baseline (font-wide, so runs align on one baseline).
    public var ascent: Double
    /// Depth below the baseline (font-wide), positive.
    public var descent: Double
    public var height: Double { ascent + descent }
}

/// Measures text with gdImageStringFT on a null image (bounding box only). Results are cached per
/// (string, size); the font-wide ascent and descent are those of "Ågjy|" at that size.
final class TextMeasurer: @unchecked Sendable {
    let fontPath: String
    private var cache: [String: Double] = [:]
    private var vertical: [Double: (Double, Double)] = [:]
    private let lock = NSLock()

    init(fontPath: String) { self.fontPath = fontPath }

    /// gd's point size for a pixel em size (gd renders at 96 dpi).
    static func points(_ px: Double) -> Double { px * 72 / 96 }

    /// The bounding box libgd reports: (minX, minY, maxX, maxY) relative to the origin on the baseline.
    func box(_ text: String, size: Double) -> (Double, Double, Double, Double) {
        var brect = [Int32](repeating: 0, count: 8)
        let err = text.withCString { s in
            fontPath.withCString { f in
                gdImageStringFT(nil, &brect, 0, UnsafeMutablePointer(mutating: f), TextMeasurer.points(size), 0, 0, 0,
                                UnsafeMutablePointer(mutating: s))
            }
        }
        if err != nil { return (0, -size * 0.75, Double(text.count) * size * 0.6, size * 0.25) }
        return (Double(brect[0]), Double(brect[5]), Double(brect[2]), Double(brect[1]))
    }

    func extent(_ text: String, size: Double) -> TextExtent {
        let (asc, desc) = verticalMetrics(size: size)
        let key = "\(size)\u{1}\(text)"
        lock.lock()
        if let w = cache[key] { lock.unlock(); return TextExtent(width: w, ascent: asc, descent: desc) }
        lock.unlock()
        let w = text.isEmpty ? 0 : box(text, size: size).2 + 1
        lock.lock(); cache[key] = w; lock.unlock()
        return TextExtent(width: w, ascent: asc, descent: desc)
    }

    func verticalMetrics(size: Double) -> (Double, Double) {
        lock.lock()
        if let v = vertical[size] { lock.unlock(); return v }
        lock.unlock()
        let b = box("Ågjy|", size: size)
        let v = (max(-b.1, size * 0.7), max(b.3, size * 0.2))
        lock.lock(); vertical[size] = v; lock.unlock()
        return v
    }
}
