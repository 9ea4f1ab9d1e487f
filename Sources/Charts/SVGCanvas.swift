import Foundation

/// Writes a `Drawing` as SVG 1.1: the same commands as the PNG canvas, plots clipped with clipPath,
/// text in DejaVu Sans (falling back to the viewer's sans-serif).
public struct SVGCanvas: Canvas {
    private var body: [String] = []
    private var width = 0, height = 0
    private var scale = 1.0
    private var clipCount = 0

    public init() {}

    public mutating func begin(_ d: Drawing) throws {
        width = d.width; height = d.height; scale = d.scale; body = []; clipCount = 0
        body.append("<rect x=\"0\" y=\"0\" width=\"\(d.width)\" height=\"\(d.height)\" fill=\"\(d.background.hexString)\"/>")
    }

    public mutating func draw(_ c: DrawCommand) throws {
        switch c {
        case .plot(let r, let bg, let inner):
            clipCount += 1
            let id = "clip\(clipCount)"
            body.append("<clipPath id=\"\(id)\"><rect \(rectAttrs(r))/></clipPath>")
            body.append("<rect \(rectAttrs(r)) fill=\"\(bg.hexString)\"/>")
            body.append("<g clip-path=\"url(#\(id))\">")
            var texts: [DrawCommand] = []
            for c in inner { if case .text = c { texts.append(c) } else { body.append(element(c)) } }
            body.append("</g>")
            for t in texts { body.append(element(t)) }
        default:
            body.append(element(c))
        }
    }

    /// The complete SVG document.
    public func document() -> String {
        let w = Int((Double(width) * scale).rounded()), h = Int((Double(height) * scale).rounded())
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(w)" height="\(h)" viewBox="0 0 \(width) \(height)" \
        font-family="DejaVu Sans, Verdana, sans-serif">
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    private func n(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
    private func rectAttrs(_ r: Rect) -> String {
        "x=\"\(n(r.minX))\" y=\"\(n(r.minY))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\""
    }
    private func paint(_ attr: String, _ c: Color) -> String {
        c.alpha < 1 ? "\(attr)=\"\(c.hexString)\" \(attr)-opacity=\"\(n(c.alpha))\"" : "\(attr)=\"\(c.hexString)\""
    }
    private func points(_ pts: [Point]) -> String { pts.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ") }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 forbids most control characters: drop them.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private func element(_ c: DrawCommand) -> String {
        switch c {
        case .fillRect(let r, let color):
            return "<rect \(rectAttrs(r)) \(paint("fill", color))/>"
        case .strokeRect(let r, let color, let w):
            return "<rect \(rectAttrs(r.insetBy(0))) fill=\"none\" \(paint("stroke", color)) stroke-width=\"\(n(w))\" shape-rendering=\"crispEdges\"/>"
        case .line(let a, let b, let color, let w):
            return "<line x1=\"\(n(a.x))\" y1=\"\(n(a.y))\" x2=\"\(n(b.x))\" y2=\"\(n(b.y))\" \(paint("stroke", color)) stroke-width=\"\(n(w))\" shape-rendering=\"crispEdges\"/>"
        case .polyline(let pts, let color, let w, let dash):
            let da = dash == .solid ? "" : " stroke-dasharray=\"\(dash.pattern.map { n($0 * w) }.joined(separator: ","))\""
            return "<polyline points=\"\(points(pts))\" fill=\"none\" \(paint("stroke", color)) stroke-width=\"\(n(w))\" "
                + "stroke-linejoin=\"round\" stroke-linecap=\"round\"\(da)/>"
        case .polygon(let pts, let color):
            return "<polygon points=\"\(points(pts))\" \(paint("fill", color))/>"
        case .markers(let pts, let m, let r, let fill, _):
            let shape: String
            switch m {
            case .circle: shape = "<circle id=\"m\" r=\"\(n(r))\"/>"
            case .square: shape = "<rect x=\"\(n(-r * 0.85))\" y=\"\(n(-r * 0.85))\" width=\"\(n(r * 1.7))\" height=\"\(n(r * 1.7))\"/>"
            case .diamond: shape = "<polygon points=\"0,\(n(-r * 1.1)) \(n(r * 0.88)),0 0,\(n(r * 1.1)) \(n(-r * 0.88)),0\"/>"
            case .triangle: shape = "<polygon points=\"0,\(n(-r)) \(n(r)),\(n(r * 0.7)) \(n(-r)),\(n(r * 0.7))\"/>"
            case .plus: shape = "<path d=\"M\(n(-r)),0H\(n(r))M0,\(n(-r))V\(n(r))\" stroke-width=\"\(n(r * 0.44))\"/>"
            case .cross: shape = "<path d=\"M\(n(-r)),\(n(-r))L\(n(r)),\(n(r))M\(n(-r)),\(n(r))L\(n(r)),\(n(-r))\" stroke-width=\"\(n(r * 0.44))\"/>"
            }
            let stroked = m == .plus || m == .cross
            let style = stroked ? "fill=\"none\" \(paint("stroke", fill))" : paint("fill", fill)
            // One group per marker batch; each point a translated copy of the shape.
            var s = "<g \(style)>"
            s.reserveCapacity(pts.count * 48)
            let shapeBody = shape.replacingOccurrences(of: " id=\"m\"", with: "")
            for p in pts where p.x.isFinite && p.y.isFinite {
                if m == .circle {
                    s += "<circle cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(r))\"/>"
                } else {
                    s += "<g transform=\"translate(\(n(p.x)),\(n(p.y)))\">\(shapeBody)</g>"
                }
            }
            return s + "</g>"
        case .text(let t):
            let anchor = t.align == .start ? "start" : (t.align == .middle ? "middle" : "end")
            let weight = t.bold ? " font-weight=\"bold\"" : ""
            let pos = t.rotated
                ? "transform=\"translate(\(n(t.position.x)),\(n(t.position.y))) rotate(-90)\""
                : "x=\"\(n(t.position.x))\" y=\"\(n(t.position.y))\""
            return "<text \(pos) font-size=\"\(n(t.size))\" text-anchor=\"\(anchor)\"\(weight) \(paint("fill", t.color))>"
                + SVGCanvas.escape(t.text) + "</text>"
        case .plot:
            return ""
        }
    }
}
