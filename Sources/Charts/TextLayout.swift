/// Text placement helpers shared by the layouts: runs with measured bounds, wrapping and shortening so
/// that no label is ever clipped by the canvas edge.
struct TextKit {
    let measurer: TextMeasurer

    func extent(_ s: String, _ size: Double) -> TextExtent { measurer.extent(s, size: size) }
    func width(_ s: String, _ size: Double) -> Double { measurer.extent(s, size: size).width }
    func lineHeight(_ size: Double) -> Double { measurer.extent("", size: size).height }

    /// DejaVu Sans cap height is 0.729 em: the baseline that centres digits and capitals on `y`.
    func centredBaseline(_ y: Double, _ size: Double) -> Double { y + 0.729 * size / 2 }

    /// A horizontal run anchored on its baseline.
    func run(_ s: String, x: Double, baseline: Double, size: Double, align: TextAlign, color: Color = .ink,
             bold: Bool = false, role: String) -> TextRun {
        let e = extent(s, size)
        let left: Double
        switch align {
        case .start: left = x
        case .middle: left = x - e.width / 2
        case .end: left = x - e.width
        }
        return TextRun(text: s, position: Point(x, baseline), size: size, color: color, align: align, rotated: false,
                       bold: bold, bounds: Rect(x: left, y: baseline - e.ascent, width: e.width, height: e.height), role: role)
    }

    /// A run reading bottom-to-top; `baselineX` is the x of its baseline, `y` the anchor along the run.
    func rotatedRun(_ s: String, baselineX: Double, y: Double, size: Double, align: TextAlign, color: Color = .ink,
                    role: String) -> TextRun {
        let e = extent(s, size)
        let bottom: Double
        switch align {
        case .start: bottom = y
        case .middle: bottom = y + e.width / 2
        case .end: bottom = y + e.width
        }
        return TextRun(text: s, position: Point(baselineX, y), size: size, color: color, align: align, rotated: true,
                       bold: false, bounds: Rect(x: baselineX - e.ascent, y: bottom - e.width, width: e.height, height: e.width),
                       role: role)
    }

    /// Greedy word wrap into lines no wider than `maxWidth`; a single word that is still too wide is
    /// shortened with an ellipsis.
    func wrap(_ s: String, size: Double, maxWidth: Double) -> [String] {
        guard !s.isEmpty else { return [] }
        if width(s, size) <= maxWidth { return [s] }
        var lines: [String] = []
        var cur = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = cur.isEmpty ? word : cur + " " + word
            if width(candidate, size) <= maxWidth || cur.isEmpty {
                cur = candidate
            } else {
                lines.append(cur); cur = word
            }
        }
        if !cur.isEmpty { lines.append(cur) }
        return lines.map { shorten($0, size: size, maxWidth: maxWidth) }
    }

    /// `wrap`, keeping at most `maxLines` lines (the last one shortened with an ellipsis when text remains).
    func wrap(_ s: String, size: Double, maxWidth: Double, maxLines: Int) -> [String] {
        let lines = wrap(s, size: size, maxWidth: maxWidth)
        guard lines.count > maxLines, maxLines >= 1 else { return lines }
        let rest = lines[(maxLines - 1)...].joined(separator: " ")
        return Array(lines[0..<(maxLines - 1)]) + [shorten(rest + "…", size: size, maxWidth: maxWidth)]
    }

    /// `s` itself when it fits in `maxWidth`, else its longest prefix that fits followed by "…".
    func shorten(_ s: String, size: Double, maxWidth: Double) -> String {
        if width(s, size) <= maxWidth { return s }
        var chars = Array(s)
        // Binary search on the prefix length.
        var lo = 0, hi = chars.count
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if width(String(chars[0..<mid]) + "…", size) <= maxWidth { lo = mid } else { hi = mid - 1 }
        }
        chars = Array(chars[0..<lo])
        return String(chars) + "…"
    }
}
