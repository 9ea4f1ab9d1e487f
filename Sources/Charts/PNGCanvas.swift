import CGD
import Foundation

/// Draws a `Drawing` with libgd. Frame commands (axes, ticks, grid outside plots, text) are drawn crisp at
/// the output scale; each `.plot` is drawn `supersampling` times larger into its own image, box-filtered
/// down and copied in, then its text is drawn crisp on top. Text uses gdImageStringFT (FreeType).
public struct PNGCanvas: Canvas {
    var image: GDImage?
    var s = 1.0
    var ss = 3
    var font = ""

    public init() {}

    public mutating func begin(_ d: Drawing) throws {
        s = d.scale; ss = d.supersampling; font = d.fontPath
        if font.isEmpty { font = try ChartFont.path() }
        let img = try GDImage(width: Int((Double(d.width) * s).rounded()), height: Int((Double(d.height) * s).rounded()))
        img.fill(x0: 0, y0: 0, x1: img.width, y1: img.height, d.background.withAlpha(1))
        image = img
    }

    /// The PNG bytes of what was drawn.
    public func pngData() throws -> Data {
        guard let image else { throw ChartsError.libgd("nothing drawn: begin() was not called") }
        return try image.png()
    }

    public mutating func draw(_ c: DrawCommand) throws {
        guard let img = image else { throw ChartsError.libgd("draw before begin") }
        let layer = Layer(image: img, scale: s, ox: 0, oy: 0, font: font)
        switch c {
        case .plot(let rect, let bg, let inner):
            try drawPlot(rect, bg, inner, into: img)
        default:
            layer.draw(c)
        }
    }

    private func drawPlot(_ rect: Rect, _ bg: Color, _ inner: [DrawCommand], into img: GDImage) throws {
        let x0 = Int((rect.minX * s).rounded()), y0 = Int((rect.minY * s).rounded())
        let x1 = Int((rect.maxX * s).rounded()), y1 = Int((rect.maxY * s).rounded())
        guard x1 > x0, y1 > y0 else { return }
        // Large plots (over 0.5 Mpx at output size) have small pixels already: 2× supersampling there.
        let ss = (x1 - x0) * (y1 - y0) > 500_000 ? min(self.ss, 2) : self.ss
        let big = try ScratchImages.take(width: (x1 - x0) * ss, height: (y1 - y0) * ss)
        defer { ScratchImages.give(big) }
        big.fill(x0: 0, y0: 0, x1: big.width, y1: big.height, bg.withAlpha(1))
        big.trackTiles(side: 8 * ss)
        let layer = Layer(image: big, scale: s * Double(ss), ox: Double(x0 * ss), oy: Double(y0 * ss), font: font)
        var texts: [DrawCommand] = [], markers: [DrawCommand] = []
        for c in inner {
            if case .text = c { texts.append(c); continue }
            if case .markers = c { markers.append(c); continue }
            if case .line(let a, let b, let color, let w) = c, a.x == b.x || a.y == b.y {
                // Crisp grid lines: whole output pixels, i.e. whole blocks of the supersampled image.
                layer.crispLine(a, b, color, width: w, block: ss, outScale: s)
                continue
            }
            layer.draw(c)
        }
        big.downsample(by: ss, into: img, atX: x0, y: y0)
        let top = Layer(image: img, scale: s, ox: 0, oy: 0, font: font)
        for m in markers { top.draw(m, clip: (x0, y0, x1, y1)) }
        for t in texts { top.draw(t) }
    }
}

/// Drawing primitives on one gd image with a transform p ↦ p·scale − origin.
struct Layer {
    let image: GDImage
    let scale: Double
    let ox: Double
    let oy: Double
    let font: String

    @inline(__always) func tx(_ p: Point) -> (Double, Double) { (p.x * scale - ox, p.y * scale - oy) }

    /// Markers clipped to a plot's pixel rectangle (x0, y0, x1, y1), drawn at output resolution.
    func draw(_ c: DrawCommand, clip: (Int, Int, Int, Int)) {
        guard case .markers(let pts, let m, let radius, let fill, _) = c else { draw(c); return }
        let r = radius * scale
        let kept = pts.map { tx($0) }.filter { p in
            p.0 >= Double(clip.0) - r && p.0 <= Double(clip.2) + r && p.1 >= Double(clip.1) - r && p.1 <= Double(clip.3) + r
        }
        // Sprites may overhang the plot edge by their radius: draw into a clipped view via a scratch check.
        Stamp.markers(kept.filter { p in p.0 - r >= Double(clip.0) - 0.5 && p.0 + r <= Double(clip.2) + 0.5
            && p.1 - r >= Double(clip.1) - 0.5 && p.1 + r <= Double(clip.3) + 0.5 }, m, radius: r, fill: fill, on: image)
        let edge = kept.filter { p in !(p.0 - r >= Double(clip.0) - 0.5 && p.0 + r <= Double(clip.2) + 0.5
            && p.1 - r >= Double(clip.1) - 0.5 && p.1 + r <= Double(clip.3) + 0.5) }
        if !edge.isEmpty, let sub = try? GDImage(width: clip.2 - clip.0, height: clip.3 - clip.1) {
            // Points near the edge: copy the plot out, stamp, copy back (clipping for free).
            for y in 0..<sub.height { (sub.row(y)).update(from: image.row(clip.1 + y) + clip.0, count: sub.width) }
            Stamp.markers(edge.map { ($0.0 - Double(clip.0), $0.1 - Double(clip.1)) }, m, radius: r, fill: fill, on: sub)
            for y in 0..<sub.height { (image.row(clip.1 + y) + clip.0).update(from: sub.row(y), count: sub.width) }
        }
    }

    func draw(_ c: DrawCommand) {
        switch c {
        case .fillRect(let r, let color):
            let (ax, ay) = tx(Point(r.minX, r.minY)), (bx, by) = tx(Point(r.maxX, r.maxY))
            image.markDirty(x0: ax, y0: ay, x1: bx, y1: by)
            image.fill(x0: Int(ax.rounded()), y0: Int(ay.rounded()), x1: Int(bx.rounded()), y1: Int(by.rounded()), color)
        case .strokeRect(let r, let color, let w):
            crispLine(Point(r.minX, r.minY), Point(r.maxX, r.minY), color, width: w, block: 1, outScale: scale)
            crispLine(Point(r.minX, r.maxY), Point(r.maxX, r.maxY), color, width: w, block: 1, outScale: scale)
            crispLine(Point(r.minX, r.minY), Point(r.minX, r.maxY), color, width: w, block: 1, outScale: scale)
            crispLine(Point(r.maxX, r.minY), Point(r.maxX, r.maxY), color, width: w, block: 1, outScale: scale)
        case .line(let a, let b, let color, let w):
            if a.x == b.x || a.y == b.y { crispLine(a, b, color, width: w, block: 1, outScale: scale) } else {
                polyline([a, b], color, width: w, dash: .solid)
            }
        case .polyline(let pts, let color, let w, let dash):
            polyline(pts, color, width: w, dash: dash)
        case .polygon(let pts, let color):
            guard pts.count >= 3 else { return }
            var gp = pts.map { p -> gdPoint in let (x, y) = tx(p); return gdPoint(x: Int32(x.rounded()), y: Int32(y.rounded())) }
            if image.tileSide > 0 {
                let xs = gp.map(\.x), ys = gp.map(\.y)
                image.markDirty(x0: Double(xs.min() ?? 0), y0: Double(ys.min() ?? 0), x1: Double(xs.max() ?? 0), y1: Double(ys.max() ?? 0))
            }
            gdImageFilledPolygon(image.ptr, &gp, Int32(gp.count), GDImage.pack(color))
        case .markers(let pts, let m, let radius, let fill, _):
            Stamp.markers(pts.map { tx($0) }, m, radius: radius * scale, fill: fill, on: image)
        case .text(let t):
            text(t)
        case .plot:
            break
        }
    }

    /// An axis-aligned line of `width` output pixels (at least one), snapped to whole output pixels (each
    /// `block` image pixels wide), so it stays crisp after any downsampling.
    func crispLine(_ a: Point, _ b: Point, _ color: Color, width w: Double, block: Int, outScale: Double) {
        let t = max(1, Int((w * outScale).rounded()))
        let k = Double(block)
        let (ax, ay) = tx(a), (bx, by) = tx(b)
        if a.y == b.y {
            let row = Int((ay / k - Double(t) / 2).rounded())
            let xa = Int((min(ax, bx) / k).rounded()), xb = Int((max(ax, bx) / k).rounded()) + (a.x == b.x ? 0 : 0)
            image.fill(x0: xa * block, y0: row * block, x1: max(xb, xa + 1) * block, y1: (row + t) * block, color)
        } else {
            let col = Int((ax / k - Double(t) / 2).rounded())
            let ya = Int((min(ay, by) / k).rounded()), yb = Int((max(ay, by) / k).rounded())
            image.fill(x0: col * block, y0: ya * block, x1: (col + t) * block, y1: max(yb, ya + 1) * block, color)
        }
    }

    func polyline(_ pts: [Point], _ color: Color, width w: Double, dash: Dash) {
        guard pts.count >= 2 else { return }
        let thick = max(1, Int((w * scale).rounded()))
        gdImageSetThickness(image.ptr, Int32(thick))
        defer { gdImageSetThickness(image.ptr, 1) }
        let c = GDImage.pack(color)
        let mapped = pts.map { tx($0) }
        let pieces = dash == .solid ? [mapped] : Dashing.split(mapped, pattern: dash.pattern.map { $0 * w * scale })
        let pad = Double(thick) / 2 + 1
        for piece in pieces {
            var prev = piece[0]
            for p in piece.dropFirst() {
                image.markDirty(x0: min(prev.0, p.0) - pad, y0: min(prev.1, p.1) - pad, x1: max(prev.0, p.0) + pad, y1: max(prev.1, p.1) + pad)
                gdImageLine(image.ptr, Int32(prev.0.rounded()), Int32(prev.1.rounded()), Int32(p.0.rounded()), Int32(p.1.rounded()), c)
                prev = p
            }
        }
    }

    func text(_ t: TextRun) {
        guard !t.text.isEmpty else { return }
        let size = t.size * scale
        let pts = TextMeasurer.points(size)
        let (x, y) = tx(t.position)
        var brect = [Int32](repeating: 0, count: 8)
        // The layout measured the run at this size × 1; scaled widths differ by at most a pixel or two.
        let w = t.rotated ? t.bounds.height * scale : t.bounds.width * scale
        let shift = t.align == .start ? 0 : (t.align == .middle ? w / 2 : w)
        let (px, py) = t.rotated ? (x, y + shift) : (x - shift, y)
        if let sprite = TextSprites.shared.sprite(t.text, font: font, points: pts, rotated: t.rotated) {
            TextSprites.draw(sprite, color: t.color, x: Int(px.rounded()), y: Int(py.rounded()), on: image)
            return
        }
        let color = GDImage.pack(t.color)
        _ = t.text.withCString { s in font.withCString { f in
            gdImageStringFT(image.ptr, &brect, color, UnsafeMutablePointer(mutating: f), pts, t.rotated ? Double.pi / 2 : 0,
                            Int32(px.rounded()), Int32(py.rounded()), UnsafeMutablePointer(mutating: s))
        } }
    }
}

/// Splits a polyline into dashes by arc length.
enum Dashing {
    static func split(_ pts: [(Double, Double)], pattern: [Double]) -> [[(Double, Double)]] {
        guard pattern.count >= 2, pattern.allSatisfy({ $0 > 0 }) else { return [pts] }
        var out: [[(Double, Double)]] = []
        var k = 0, left = pattern[0], on = true
        var cur: [(Double, Double)] = [pts[0]]
        for i in 1..<pts.count {
            var a = pts[i - 1]
            let b = pts[i]
            var segLen = hypot(b.0 - a.0, b.1 - a.1)
            while segLen > left {
                let f = left / segLen
                let m = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f)
                if on { cur.append(m); out.append(cur) }
                cur = [m]
                segLen -= left
                a = m
                on.toggle(); k = (k + 1) % pattern.count; left = pattern[k]
            }
            left -= segLen
            if on { cur.append(b) } else { cur = [b] }
        }
        if on && cur.count >= 2 { out.append(cur) }
        return out
    }
}

/// Reuses the last supersampled scratch image of the same size (saves allocating and page-faulting
/// megabytes per chart when many charts of one size are drawn). Thread-safe; keeps at most two images.
enum ScratchImages {
    nonisolated(unsafe) private static var free: [GDImage] = []
    private static let lock = NSLock()

    static func take(width: Int, height: Int) throws -> GDImage {
        lock.lock()
        if let i = free.firstIndex(where: { $0.width == width && $0.height == height }) {
            let img = free.remove(at: i)
            lock.unlock()
            return img
        }
        lock.unlock()
        return try GDImage(width: width, height: height)
    }

    static func give(_ img: GDImage) {
        lock.lock(); defer { lock.unlock() }
        free.append(img)
        if free.count > 2 { free.removeFirst() }
    }
}
