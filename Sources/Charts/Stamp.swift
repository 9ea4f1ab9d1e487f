import Foundation

/// Markers filled span by span straight into the image's pixel rows (much faster than one libgd
/// ellipse per point for 10⁴ scatter points; the supersampling anti-aliases them).
enum Stamp {
    static func markers(_ pts: [(Double, Double)], _ m: Marker, radius R: Double, fill: Color, stroke: Color?, on img: GDImage) {
        let a = Int32((fill.alpha * 256).rounded())
        let src = (Int32(fill.r) << 16) | (Int32(fill.g) << 8) | Int32(fill.b)
        let r = max(R, 0.5)
        // Half-widths per row offset, relative to the centre, computed once.
        let n = Int(r.rounded(.up))
        var rows: [(dy: Int, lo: Double, hi: Double)] = []
        for dy in -n...n {
            let yc = Double(dy)  // row centre offset
            switch m {
            case .circle:
                let h = r * r - yc * yc
                if h >= 0 { let w = h.squareRoot(); rows.append((dy, -w, w)) }
            case .square:
                let s = r * 0.85
                if abs(yc) <= s { rows.append((dy, -s, s)) }
            case .diamond:
                let w = r * 1.1 - abs(yc)
                if w >= 0 { rows.append((dy, -w * 0.8, w * 0.8)) }
            case .triangle:
                // Apex up: the width grows linearly from the top (−r) to the base (+0.7r).
                if yc >= -r && yc <= r * 0.7 { let w = (yc + r) / 1.7 * 1.0; rows.append((dy, -w, w)) }
            case .cross, .plus:
                let t = max(r * 0.22, 0.6)
                if m == .plus {
                    if abs(yc) <= t { rows.append((dy, -r, r)) } else { rows.append((dy, -t, t)) }
                } else {
                    // Two diagonals: spans around x = ±y.
                    rows.append((dy, yc - t * 1.4, yc + t * 1.4))
                    rows.append((dy, -yc - t * 1.4, -yc + t * 1.4))
                }
            }
        }
        for (px, py) in pts where px.isFinite && py.isFinite {
            let cy = Int(py.rounded(.down))
            let fx = px - 0.5
            for row in rows {
                let x0 = Int((fx + row.lo).rounded(.up)), x1 = Int((fx + row.hi).rounded(.down)) + 1
                img.span(y: cy + row.dy, x0: x0, x1: x1, src: src, r: fill.r, g: fill.g, b: fill.b, a: a)
            }
        }
        _ = stroke
    }
}
