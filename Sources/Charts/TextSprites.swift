import CGD
import Foundation

/// Rendered text runs kept as coverage masks: gdImageStringFT draws each distinct (text, size, rotation)
/// once, white on black, and the mask is then blended in any colour wherever the run recurs (tick labels,
/// legend entries and titles repeat across charts; FreeType's hinting dominated the text cost).
/// gd blends anti-aliased glyphs as c·fg + (1 − c)·bg, which is exactly what the mask blend does.
final class TextSprites: @unchecked Sendable {
    struct Sprite {
        var width: Int
        var height: Int
        /// Offset of the sprite's top-left corner from the text origin (baseline start).
        var dx: Int
        var dy: Int
        var coverage: [UInt8]
    }

    static let shared = TextSprites()
    private var cache: [String: Sprite] = [:]
    private let lock = NSLock()

    func sprite(_ text: String, font: String, points: Double, rotated: Bool) -> Sprite? {
        let key = "\(points)|\(rotated)|\(font)|\(text)"
        lock.lock()
        if let s = cache[key] { lock.unlock(); return s }
        lock.unlock()
        guard let s = render(text, font: font, points: points, rotated: rotated) else { return nil }
        lock.lock()
        if cache.count > 20_000 { cache.removeAll() }
        cache[key] = s
        lock.unlock()
        return s
    }

    private func render(_ text: String, font: String, points: Double, rotated: Bool) -> Sprite? {
        let angle = rotated ? Double.pi / 2 : 0
        var brect = [Int32](repeating: 0, count: 8)
        let err = text.withCString { s in font.withCString { f in
            gdImageStringFT(nil, &brect, 0, UnsafeMutablePointer(mutating: f), points, angle, 0, 0, UnsafeMutablePointer(mutating: s))
        } }
        guard err == nil else { return nil }
        let xs = [brect[0], brect[2], brect[4], brect[6]], ys = [brect[1], brect[3], brect[5], brect[7]]
        let minX = Int(xs.min() ?? 0) - 2, maxX = Int(xs.max() ?? 0) + 2
        let minY = Int(ys.min() ?? 0) - 2, maxY = Int(ys.max() ?? 0) + 2
        let w = maxX - minX + 1, h = maxY - minY + 1
        guard w > 0, h > 0, w * h < 4_000_000, let img = try? GDImage(width: w, height: h) else { return nil }
        img.fill(x0: 0, y0: 0, x1: w, y1: h, .black)
        _ = text.withCString { s in font.withCString { f in
            gdImageStringFT(img.ptr, &brect, vaescope_gd_true_color(255, 255, 255), UnsafeMutablePointer(mutating: f), points, angle,
                            Int32(-minX), Int32(-minY), UnsafeMutablePointer(mutating: s))
        } }
        var cov = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { let r = img.row(y); for x in 0..<w { cov[y * w + x] = UInt8(truncatingIfNeeded: r[x] >> 8) } }
        return Sprite(width: w, height: h, dx: minX, dy: minY, coverage: cov)
    }

    /// Blends `sprite` in `color` with its origin at (x, y) of `img`.
    static func draw(_ sprite: Sprite, color: Color, x: Int, y: Int, on img: GDImage) {
        let alpha = Int32((color.alpha * 256).rounded())
        let cr = Int32(color.r), cg = Int32(color.g), cb = Int32(color.b)
        for sy in 0..<sprite.height {
            let yy = y + sprite.dy + sy
            guard yy >= 0 && yy < img.height else { continue }
            let row = img.row(yy)
            let base = sy * sprite.width
            for sx in 0..<sprite.width {
                let c = Int32(sprite.coverage[base + sx])
                guard c > 0 else { continue }
                let xx = x + sprite.dx + sx
                guard xx >= 0 && xx < img.width else { continue }
                let a = ((c + (c >> 7)) * alpha) >> 8, ia = 256 - a
                let d = row[xx]
                let nr = (cr * a + ((d >> 16) & 0xFF) * ia) >> 8
                let ng = (cg * a + ((d >> 8) & 0xFF) * ia) >> 8
                let nb = (cb * a + (d & 0xFF) * ia) >> 8
                row[xx] = (nr << 16) | (ng << 8) | nb
            }
        }
    }
}
