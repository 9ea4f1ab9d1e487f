import CGD
import Foundation

/// An owned libgd true-colour image: the only type that touches gd pointers. Pixels are gd's packed
/// ints: alpha (0 opaque … 127 transparent) << 24 | r << 16 | g << 8 | b.
final class GDImage {
    let ptr: gdImagePtr
    let width: Int
    let height: Int

    init(width: Int, height: Int) throws {
        guard width > 0, height > 0, let p = gdImageCreateTrueColor(Int32(width), Int32(height)) else {
            throw ChartsError.libgd("cannot allocate a \(width)×\(height) image")
        }
        ptr = p; self.width = width; self.height = height
        gdImageAlphaBlending(p, 1)
    }
    /// Decodes PNG bytes (used by tests and tools).
    init(png: Data) throws {
        let p = png.withUnsafeBytes { raw -> gdImagePtr? in
            guard let base = raw.baseAddress else { return nil }
            return gdImageCreateFromPngPtr(Int32(raw.count), UnsafeMutableRawPointer(mutating: base))
        }
        guard let p else { throw ChartsError.libgd("cannot decode PNG (\(png.count) bytes)") }
        ptr = p; width = Int(vaescope_gd_sx(p)); height = Int(vaescope_gd_sy(p))
    }
    deinit { gdImageDestroy(ptr) }

    static func pack(_ c: Color) -> Int32 {
        vaescope_gd_true_color_alpha(Int32(c.r), Int32(c.g), Int32(c.b), Int32(((1 - c.alpha) * 127).rounded()))
    }
    /// The row pointer of row `y`.
    @inline(__always) func row(_ y: Int) -> UnsafeMutablePointer<Int32> {
        // gd always allocates tpixels for true-colour images.
        vaescope_gd_tpixels(ptr)![y]!
    }
    func pixel(_ x: Int, _ y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let v = row(y)[x]
        return (UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }

    /// Blends `c` over the pixels of [x0, x1) × [y0, y1), clipped to the image (straight alpha, opaque result).
    func fill(x0: Int, y0: Int, x1: Int, y1: Int, _ c: Color) {
        let xa = max(0, x0), xb = min(width, x1), ya = max(0, y0), yb = min(height, y1)
        guard xa < xb, ya < yb else { return }
        if tileSide > 0 { touched.append((xa, ya, xb, yb)) }
        let a = Int32((c.alpha * 256).rounded())
        let src = (Int32(c.r) << 16) | (Int32(c.g) << 8) | Int32(c.b)
        for y in ya..<yb {
            let r = row(y)
            if a >= 256 {
                (r + xa).update(repeating: src, count: xb - xa)
            } else {
                for x in xa..<xb { r[x] = GDImage.blend(r[x], c.r, c.g, c.b, a) }
            }
        }
    }
    /// A horizontal span [x0, x1) on row y.
    @inline(__always) func span(y: Int, x0: Int, x1: Int, src: Int32, r cr: UInt8, g cg: UInt8, b cb: UInt8, a: Int32) {
        guard y >= 0, y < height else { return }
        let xa = max(0, x0), xb = min(width, x1)
        guard xa < xb else { return }
        let r = row(y)
        if a >= 256 { for x in xa..<xb { r[x] = src } } else { for x in xa..<xb { r[x] = GDImage.blend(r[x], cr, cg, cb, a) } }
    }
    @inline(__always) static func blend(_ d: Int32, _ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: Int32) -> Int32 {
        let ia = 256 - a
        let dr = (d >> 16) & 0xFF, dg = (d >> 8) & 0xFF, db = d & 0xFF
        let nr = (Int32(r) * a + dr * ia) >> 8, ng = (Int32(g) * a + dg * ia) >> 8, nb = (Int32(b) * a + db * ia) >> 8
        return (nr << 16) | (ng << 8) | nb
    }

    /// Supersampled layers track which tiles received anti-aliased content; the rest hold only
    /// block-aligned content (background, crisp grid lines) and are downsampled by point sampling.
    private(set) var tiles: [Bool] = []
    private(set) var tileSide = 0
    private var tilesX = 0

    /// The background colour the whole image was last cleared to (nil: unknown), and the rectangles
    /// filled since then; with the dirty tiles they are all that `clear(to:)` must repaint next time.
    private var clearedTo: Int32?
    private var touched: [(Int, Int, Int, Int)] = []

    /// Makes every pixel `c` (opaque). A reused scratch image already cleared to `c` repaints only the
    /// rectangles filled and the tiles marked dirty since: a supersampled plot is mostly untouched
    /// background, and repainting all of it cost more than drawing the data.
    func clear(to c: Color) {
        let src = (Int32(c.r) << 16) | (Int32(c.g) << 8) | Int32(c.b)
        func paint(_ xa: Int, _ ya: Int, _ xb: Int, _ yb: Int) {
            let xa = max(0, xa), xb = min(width, xb), ya = max(0, ya), yb = min(height, yb)
            guard xa < xb else { return }
            for y in max(0, ya)..<max(ya, yb) { (row(y) + xa).update(repeating: src, count: xb - xa) }
        }
        if clearedTo == src && tileSide > 0 {
            for r in touched { paint(r.0, r.1, r.2, r.3) }
            var ty = 0
            while ty * tilesX < tiles.count {
                var tx = 0
                while tx < tilesX {
                    // Runs of dirty tiles along a row of tiles are painted together.
                    guard tiles[ty * tilesX + tx] else { tx += 1; continue }
                    let start = tx
                    while tx < tilesX && tiles[ty * tilesX + tx] { tx += 1 }
                    paint(start * tileSide, ty * tileSide, tx * tileSide, (ty + 1) * tileSide)
                }
                ty += 1
            }
        } else {
            paint(0, 0, width, height)
        }
        clearedTo = src
        touched.removeAll(keepingCapacity: true)
        for i in tiles.indices { tiles[i] = false }
    }

    /// Ends dirty-tile tracking and forgets the last clear (the image is about to be drawn on freely).
    func stopTracking() {
        tileSide = 0; tilesX = 0; tiles = []
        clearedTo = nil
        touched.removeAll(keepingCapacity: true)
    }

    /// Starts dirty-tile tracking with square tiles of `side` image pixels (a multiple of the block size).
    func trackTiles(side: Int) {
        tileSide = side
        tilesX = (width + side - 1) / side
        tiles = [Bool](repeating: false, count: tilesX * ((height + side - 1) / side))
    }
    /// Marks the tiles meeting [x0, x1] × [y0, y1] (image pixels, inclusive, clipped).
    func markDirty(x0: Double, y0: Double, x1: Double, y1: Double) {
        guard tileSide > 0 else { return }
        let ax = max(0, Int(min(x0, x1)) - 1), bx = min(width - 1, Int(max(x0, x1)) + 1)
        let ay = max(0, Int(min(y0, y1)) - 1), by = min(height - 1, Int(max(y0, y1)) + 1)
        guard ax <= bx, ay <= by else { return }
        for ty in (ay / tileSide)...(by / tileSide) {
            let base = ty * tilesX
            for tx in (ax / tileSide)...(bx / tileSide) { tiles[base + tx] = true }
        }
    }

    /// Box-filters this image (a supersampled layer, `k` times larger) into `dest` at (ox, oy): each
    /// output pixel is the mean of its k×k block (rounded to nearest). With tile tracking on, only dirty
    /// tiles are written: the caller has already drawn the clean ones' content (background and crisp,
    /// block-aligned lines) into `dest`, where it is exactly what the box filter would give.
    func downsample(by k: Int, into dest: GDImage, atX ox: Int, y oy: Int) {
        let outW = width / k, outH = height / k
        let iLo = max(0, -ox), iHi = min(outW, dest.width - ox)
        let jLo = max(0, -oy), jHi = min(outH, dest.height - oy)
        guard k >= 1, iLo < iHi, jLo < jHi else { return }
        let n = Int32(k * k), half = n / 2
        var spans: [(Int, Int)] = [(iLo, iHi)]
        var rows = [UnsafeMutablePointer<Int32>](repeating: row(0), count: k)
        var tileRow = -1
        for j in jLo..<jHi {
            let srcY = j * k
            if tileSide > 0 && srcY / tileSide != tileRow {
                // Runs of dirty tiles in this row of tiles, in output columns.
                tileRow = srcY / tileSide
                spans.removeAll(keepingCapacity: true)
                let base = tileRow * tilesX
                var t = 0
                while t < tilesX {
                    guard tiles[base + t] else { t += 1; continue }
                    let start = t
                    while t < tilesX && tiles[base + t] { t += 1 }
                    let a = max(iLo, start * tileSide / k), b = min(iHi, (t * tileSide + k - 1) / k)
                    if a < b { spans.append((a, b)) }
                }
            }
            if spans.isEmpty { continue }
            let d = dest.row(oy + j) + ox
            if k == 2 {
                // The common case, unrolled: per-channel sums of four pixels, red and blue together in one
                // word (each sum < 1024 fits its 16-bit lane).
                let r0 = row(srcY), r1 = row(srcY + 1)
                for (a, b) in spans {
                    for i in a..<b {
                        let p = r0[2 * i], q = r0[2 * i + 1], u = r1[2 * i], v = r1[2 * i + 1]
                        let rb = (p & 0xFF00FF) &+ (q & 0xFF00FF) &+ (u & 0xFF00FF) &+ (v & 0xFF00FF) &+ 0x20002
                        let g = (p & 0xFF00) &+ (q & 0xFF00) &+ (u & 0xFF00) &+ (v & 0xFF00) &+ 0x200
                        d[i] = ((rb >> 2) & 0xFF00FF) | ((g >> 2) & 0xFF00)
                    }
                }
                continue
            }
            for dy in 0..<k { rows[dy] = row(srcY + dy) }
            for (a, b) in spans {
                for i in a..<b {
                    var ar: Int32 = 0, ag: Int32 = 0, ab: Int32 = 0
                    for dy in 0..<k {
                        let r = rows[dy] + i * k
                        for dx in 0..<k {
                            let v = r[dx]
                            ar &+= (v >> 16) & 0xFF; ag &+= (v >> 8) & 0xFF; ab &+= v & 0xFF
                        }
                    }
                    d[i] = (((ar + half) / n) << 16) | (((ag + half) / n) << 8) | ((ab + half) / n)
                }
            }
        }
    }

    /// PNG bytes (RGB, 8 bits per channel): see `PNGWriter`.
    func png() throws -> Data { try PNGWriter.encode(self) }
}
