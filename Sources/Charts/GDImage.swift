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
        let a = Int32((c.alpha * 256).rounded())
        let src = (Int32(c.r) << 16) | (Int32(c.g) << 8) | Int32(c.b)
        for y in ya..<yb {
            let r = row(y)
            if a >= 256 {
                for x in xa..<xb { r[x] = src }
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

    /// Box-filters this image (a supersampled layer, `k` times larger) into `dest` at (ox, oy).
    func downsample(by k: Int, into dest: GDImage, atX ox: Int, y oy: Int) {
        let outW = width / k, outH = height / k
        let n = Int32(k * k), half = n / 2
        var sr = [Int32](repeating: 0, count: outW), sg = sr, sb = sr
        for oy2 in 0..<outH where oy + oy2 >= 0 && oy + oy2 < dest.height {
            for i in 0..<outW { sr[i] = 0; sg[i] = 0; sb[i] = 0 }
            for dy in 0..<k {
                let r = row(oy2 * k + dy)
                for i in 0..<outW {
                    var ar: Int32 = 0, ag: Int32 = 0, ab: Int32 = 0
                    for dx in 0..<k {
                        let v = r[i * k + dx]
                        ar += (v >> 16) & 0xFF; ag += (v >> 8) & 0xFF; ab += v & 0xFF
                    }
                    sr[i] += ar; sg[i] += ag; sb[i] += ab
                }
            }
            let d = dest.row(oy + oy2)
            for i in 0..<outW where ox + i >= 0 && ox + i < dest.width {
                d[ox + i] = (((sr[i] + half) / n) << 16) | (((sg[i] + half) / n) << 8) | ((sb[i] + half) / n)
            }
        }
    }

    /// PNG bytes at zlib `level` (1 fast … 9 small; charts compress well at low levels).
    func png(level: Int32 = 3) throws -> Data {
        var size: Int32 = 0
        gdImageSaveAlpha(ptr, 0)
        guard let raw = gdImagePngPtrEx(ptr, &size, level), size > 0 else { throw ChartsError.libgd("PNG encoding failed") }
        defer { gdFree(raw) }
        return Data(bytes: raw, count: Int(size))
    }
}
