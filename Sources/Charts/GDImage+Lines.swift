import Foundation

extension GDImage {
    /// A line `thick` pixels wide between integer end points, written straight into the pixel rows (no
    /// per-pixel libgd call). The rasterisation is libgd's own for thick lines (gdImageLine): Bresenham
    /// along the major axis, and at each step a span across it of `thick / cos θ` pixels (θ the angle to
    /// the major axis) centred on the line, so segments of a polyline join without gaps. Opaque colours
    /// overwrite; translucent ones blend (like gd with alpha blending on). Clipped to the image.
    /// Edge cases: a zero-length segment is a single span; `thick` < 1 counts as 1.
    func thickLine(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, thick: Int, _ c: Color) {
        let a = Int32((c.alpha * 256).rounded())
        let src = (Int32(c.r) << 16) | (Int32(c.g) << 8) | Int32(c.b)
        let dx = abs(x2 - x1), dy = abs(y2 - y1)
        let t = Double(max(thick, 1))
        if dy <= dx {
            // Mostly horizontal: vertical spans of `wid` pixels at each x.
            let ac = dx == 0 ? 1 : cos(atan2(Double(dy), Double(dx)))
            let wid = max(1, Int(ac != 0 ? t / ac : 1))
            let (sx, sy, xend, ey) = x1 <= x2 ? (x1, y1, x2, y2) : (x2, y2, x1, y1)
            var x = sx, y = sy
            let ydir = ey >= sy ? 1 : -1
            var d = 2 * dy - dx
            let incr1 = 2 * dy, incr2 = 2 * (dy - dx)
            column(x, y - wid / 2, wid, src, c, a)
            while x < xend {
                x += 1
                if d < 0 { d += incr1 } else { y += ydir; d += incr2 }
                column(x, y - wid / 2, wid, src, c, a)
            }
        } else {
            // Mostly vertical: horizontal spans of `wid` pixels at each y.
            let asn = sin(atan2(Double(dy), Double(dx)))
            let wid = max(1, Int(asn != 0 ? t / asn : 1))
            let (sy, sx, yend, ex) = y1 <= y2 ? (y1, x1, y2, x2) : (y2, x2, y1, x1)
            var y = sy, x = sx
            let xdir = ex >= sx ? 1 : -1
            var d = 2 * dx - dy
            let incr1 = 2 * dx, incr2 = 2 * (dx - dy)
            let w0 = wid / 2
            span(y: y, x0: x - w0, x1: x - w0 + wid, src: src, r: c.r, g: c.g, b: c.b, a: a)
            while y < yend {
                y += 1
                if d < 0 { d += incr1 } else { x += xdir; d += incr2 }
                span(y: y, x0: x - w0, x1: x - w0 + wid, src: src, r: c.r, g: c.g, b: c.b, a: a)
            }
        }
    }

    /// Pixels (x, y0) … (x, y0 + n − 1), clipped.
    @inline(__always) private func column(_ x: Int, _ y0: Int, _ n: Int, _ src: Int32, _ c: Color, _ a: Int32) {
        guard x >= 0 && x < width else { return }
        let ya = max(0, y0), yb = min(height, y0 + n)
        guard ya < yb else { return }
        if a >= 256 {
            for y in ya..<yb { row(y)[x] = src }
        } else {
            for y in ya..<yb { let r = row(y); r[x] = GDImage.blend(r[x], c.r, c.g, c.b, a) }
        }
    }
}
