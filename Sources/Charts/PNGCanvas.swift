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
        let img = try ScratchImages.take(width: Int((Double(d.width) * s).rounded()), height: Int((Double(d.height) * s).rounded()))
        img.stopTracking()
        img.fill(x0: 0, y0: 0, x1: img.width, y1: img.height, d.background.withAlpha(1))
        image = img
    }

    /// The PNG bytes of what was drawn.
    public func pngData() throws -> Data {
        guard let image else { throw ChartsError.libgd("nothing drawn: begin() was not called") }
        return try image.png()
    }

    /// Hands the image back for the next chart of the same size (after `pngData()`; the canvas is empty then).
    public mutating func recycle() {
        if let image { ScratchImages.give(image) }
        image = nil
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
        big.clear(to: bg)
        big.trackTiles(side: 8 * ss)
        // Background and crisp lines go both into the supersampled layer and straight into the output:
        // the downsample then writes only the tiles that received anti-aliased content.
        img.fill(x0: x0, y0: y0, x1: x1, y1: y1, bg.withAlpha(1))
        let out = Layer(image: img, scale: s, ox: 0, oy: 0, font: font)
        let layer = Layer(image: big, scale: s * Double(ss), ox: Double(x0 * ss), oy: Double(y0 * ss), font: font)
        var texts: [DrawCommand] = [], markers: [DrawCommand] = []
        for c in inner {
            if case .text = c { texts.append(c); continue }
            if case .markers = c { markers.append(c); continue }
            if case .line(let a, let b, let color, let w) = c, a.x == b.x || a.y == b.y {
                // Crisp grid lines: whole output pixels, i.e. whole blocks of the supersampled image.
                let r = out.crispRect(a, b, width: w, outScale: s)
                big.fill(x0: (r.0 - x0) * ss, y0: (r.1 - y0) * ss, x1: (r.2 - x0) * ss, y1: (r.3 - y0) * ss, color)
                img.fill(x0: max(r.0, x0), y0: max(r.1, y0), x1: min(r.2, x1), y1: min(r.3, y1), color)
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
            crispLine(Point(r.minX, r.minY), Point(r.maxX, r.minY), color, width: w, outScale: scale)
            crispLine(Point(r.minX, r.maxY), Point(r.maxX, r.maxY), color, width: w, outScale: scale)
            crispLine(Point(r.minX, r.minY), Point(r.minX, r.maxY), color, width: w, outScale: scale)
            crispLine(Point(r.maxX, r.minY), Point(r.maxX, r.maxY), color, width: w, outScale: scale)
        case .line(let a, let b, let color, let w):
            if a.x == b.x || a.y == b.y { crispLine(a, b, color, width: w, outScale: scale) } else {
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

    /// An axis-aligned line of `width` output pixels (at least one), snapped to whole pixels of this layer
    /// (the rectangle is in layer pixels: [x0, x1) × [y0, y1)).
    func crispRect(_ a: Point, _ b: Point, width w: Double, outScale: Double) -> (Int, Int, Int, Int) {
        let t = max(1, Int((w * outScale).rounded()))
        let (ax, ay) = tx(a), (bx, by) = tx(b)
        if a.y == b.y {
            let row = Int((ay - Double(t) / 2).rounded())
            let xa = Int(min(ax, bx).rounded()), xb = Int(max(ax, bx).rounded())
            return (xa, row, max(xb, xa + 1), row + t)
        } else {
            let col = Int((ax - Double(t) / 2).rounded())
            let ya = Int(min(ay, by).rounded()), yb = Int(max(ay, by).rounded())
            return (col, ya, col + t, max(yb, ya + 1))
        }
    }

    /// `crispRect` filled; on a supersampled layer (one with dirty tiles) the tiles are marked dirty,
    /// since its edges need not fall on block boundaries.
    func crispLine(_ a: Point, _ b: Point, _ color: Color, width w: Double, outScale: Double) {
        let r = crispRect(a, b, width: w, outScale: outScale)
        if image.tileSide > 0 { image.markDirty(x0: Double(r.0), y0: Double(r.1), x1: Double(r.2), y1: Double(r.3)) }
        image.fill(x0: r.0, y0: r.1, x1: r.2, y1: r.3, color)
    }

    func polyline(_ pts: [Point], _ color: Color, width w: Double, dash: Dash) {
        guard pts.count >= 2 else { return }
        let thick = max(1, Int((w * scale).rounded()))
        let pad = Double(thick) + 1  // spans reach thick / cos 45° / 2 ≈ 0.71 thick from the centre
        let xLo = -pad, yLo = -pad, xHi = Double(image.width) + pad, yHi = Double(image.height) + pad
        let segment = { (p: (Double, Double), q: (Double, Double)) in
            guard let (a, b) = Clip.segment(p, q, x0: xLo, y0: yLo, x1: xHi, y1: yHi) else { return }
            image.markDirty(x0: min(a.0, b.0) - pad, y0: min(a.1, b.1) - pad, x1: max(a.0, b.0) + pad, y1: max(a.1, b.1) + pad)
            image.thickLine(Int(a.0.rounded()), Int(a.1.rounded()), Int(b.0.rounded()), Int(b.1.rounded()), thick: thick, color)
        }
        if dash == .solid {
            var prev = tx(pts[0])
            for i in 1..<pts.count { let p = tx(pts[i]); segment(prev, p); prev = p }
        } else {
            var dashes = Dashing(pattern: dash.pattern.map { $0 * w * scale })
            var prev = tx(pts[0])
            for i in 1..<pts.count { let p = tx(pts[i]); dashes.walk(prev, p, segment); prev = p }
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

/// Liang–Barsky clipping of a segment to a rectangle (so a far-off point cannot make a line walk millions
/// of pixels outside the image). Nil when the segment misses the rectangle or has a non-finite end.
enum Clip {
    static func segment(_ a: (Double, Double), _ b: (Double, Double), x0: Double, y0: Double, x1: Double, y1: Double)
        -> ((Double, Double), (Double, Double))? {
        guard a.0.isFinite, a.1.isFinite, b.0.isFinite, b.1.isFinite else { return nil }
        let dx = b.0 - a.0, dy = b.1 - a.1
        var t0 = 0.0, t1 = 1.0
        // Each edge: p·t ≤ q keeps the point inside.
        func edge(_ p: Double, _ q: Double) -> Bool {
            if p == 0 { return q >= 0 }
            let r = q / p
            if p < 0 { if r > t1 { return false }; t0 = max(t0, r) } else { if r < t0 { return false }; t1 = min(t1, r) }
            return true
        }
        guard edge(-dx, a.0 - x0), edge(dx, x1 - a.0), edge(-dy, a.1 - y0), edge(dy, y1 - a.1) else { return nil }
        if t0 == 0 && t1 == 1 { return (a, b) }
        return ((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy))
    }
}

/// Cuts a polyline into dashes by arc length, segment by segment: `walk` passes the "on" parts of each
/// segment to `draw`, carrying the position in the pattern from one segment to the next. A pattern with
/// fewer than two entries or a non-positive entry draws solid.
struct Dashing {
    let pattern: [Double]
    private var k = 0
    private var left: Double
    private var on = true
    private let solid: Bool

    init(pattern: [Double]) {
        self.pattern = pattern
        solid = pattern.count < 2 || !pattern.allSatisfy { $0 > 0 && $0.isFinite }
        left = solid ? .infinity : pattern[0]
    }

    mutating func walk(_ a: (Double, Double), _ b: (Double, Double), _ draw: ((Double, Double), (Double, Double)) -> Void) {
        if solid { draw(a, b); return }
        let len = ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).squareRoot()
        guard len.isFinite else { return }
        var t = 0.0  // arc length done along this segment
        var start = a
        while len - t > left {
            t += left
            let m = (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len)
            if on { draw(start, m) }
            start = m
            on.toggle(); k = (k + 1) % pattern.count; left = pattern[k]
        }
        left -= len - t
        if on { draw(start, b) }
    }
}

/// Reuses the last supersampled scratch image of the same size (saves allocating and page-faulting
/// megabytes per chart when many charts of one size are drawn): the supersampled plot layers and the
/// output images. Thread-safe; keeps at most three images.
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
        if free.count > 3 { free.removeFirst() }
    }
}
