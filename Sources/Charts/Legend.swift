/// What a legend entry shows beside its label.
enum Swatch: Sendable, Hashable {
    /// A short line in the series' dash, with its marker and (optionally) its shaded band behind.
    case line(dash: Dash, width: Double, marker: Marker?, band: Bool)
    /// A filled square (bars, histograms).
    case patch(opacity: Double)
    /// A marker alone (scatter groups).
    case marker(Marker, radius: Double, opacity: Double)
}

struct LegendEntry: Sendable, Hashable {
    var label: String
    var color: Color
    var swatch: Swatch
}

/// A laid-out legend box: entries stacked vertically, a swatch then the label.
struct LegendBox {
    var entries: [LegendEntry]
    var labels: [String]
    var size: Double
    var width: Double
    var height: Double
    var rowHeight: Double
    var swatchWidth: Double
    var pad: Double

    init(entries: [LegendEntry], kit: TextKit, size: Double, maxWidth: Double) {
        self.entries = entries
        self.size = size
        pad = size * 0.6
        swatchWidth = size * 2.2
        rowHeight = kit.lineHeight(size) * 1.15
        let room = max(size * 3, maxWidth - 3 * pad - swatchWidth)
        labels = entries.map { kit.shorten($0.label, size: size, maxWidth: room) }
        let textW = labels.map { kit.width($0, size) }.max() ?? 0
        width = (pad * 2 + swatchWidth + pad * 0.8 + textW).rounded(.up)
        height = (pad * 1.4 + rowHeight * Double(entries.count)).rounded(.up)
    }

    /// Commands drawing the legend with its top-left corner at `origin`.
    func commands(at origin: Point, kit: TextKit) -> [DrawCommand] {
        let box = Rect(x: origin.x, y: origin.y, width: width, height: height)
        var out: [DrawCommand] = [.fillRect(box, Color.white), .strokeRect(box, Color(hex: 0xCCCCCC), width: 1)]
        for (i, e) in entries.enumerated() {
            let top = origin.y + pad * 0.7 + rowHeight * Double(i)
            let midY = top + rowHeight / 2
            let sw = Rect(x: origin.x + pad, y: (midY - rowHeight * 0.4).rounded(), width: swatchWidth,
                          height: (rowHeight * 0.8).rounded())
            var inner: [DrawCommand] = []
            switch e.swatch {
            case .line(let dash, let w, let marker, let band):
                if band { inner.append(.fillRect(Rect(x: sw.minX, y: midY - sw.height * 0.35, width: sw.width, height: sw.height * 0.7),
                                                 e.color.withAlpha(0.22))) }
                inner.append(.polyline([Point(sw.minX, midY), Point(sw.maxX, midY)], e.color, width: w, dash: dash))
                if let m = marker { inner.append(.markers([Point(sw.midX, midY)], m, radius: size * 0.3, fill: e.color, stroke: nil)) }
            case .patch(let opacity):
                let r = Rect(x: sw.midX - size * 0.45, y: midY - size * 0.45, width: size * 0.9, height: size * 0.9)
                inner.append(.fillRect(r, e.color.withAlpha(opacity)))
            case .marker(let m, let radius, let opacity):
                inner.append(.markers([Point(sw.midX, midY)], m, radius: max(radius, size * 0.28), fill: e.color.withAlpha(opacity), stroke: nil))
            }
            out.append(.plot(sw, background: Color.white, inner))
            out.append(.text(kit.run(labels[i], x: sw.maxX + pad * 0.8, baseline: kit.centredBaseline(midY, size), size: size,
                                     align: .start, role: "legend")))
        }
        return out
    }
}
