extension XYFigure {
    /// Ticks for one axis that fit its pixel length without overlapping labels: the tick count starts from
    /// the length (about one label per 3.6 font sizes on y, per label width plus a gap on x, at most 9)
    /// and drops until adjacent labels keep a gap of at least half a font size.
    func ticksFor(_ axis: AxisSpec, _ range: (Double, Double), length: Double, horizontal: Bool, kit: TextKit) -> [Tick] {
        let size = style.tickSize
        if case .categorical(let cats, _) = axis {
            let all = cats.enumerated().map { Tick(value: Double($0.offset), label: $0.element, isMajor: true) }
            // Vertical categories (horizontal bars) skip labels when rows are too thin for text.
            let slot = length / Double(max(cats.count, 1))
            let need = horizontal ? kit.lineHeight(size) * 1.1 : kit.lineHeight(size) * 1.05
            let every = slot >= need ? 1 : Int((need / max(slot, 0.1)).rounded(.up))
            return all.enumerated().map { i, t in
                every == 1 || i % every == 0 ? t : Tick(value: t.value, label: "", isMajor: false)
            }
        }
        guard case .numeric(let a) = axis else { return [] }
        let sample = Ticks.linear(lo: range.0, hi: range.1, maxCount: 5).map { kit.width($0.label, size) }.max() ?? 20
        var maxCount = horizontal
            ? Int(length / max(sample + size * 2, size * 4))
            : Int(length / (size * 3.6))
        maxCount = min(max(maxCount, 2), 9)
        var ticks: [Tick] = []
        let scale = Scale(lo: range.0, hi: range.1, log: a.scale == .log10, p0: 0, p1: length)
        while maxCount >= 2 {
            ticks = a.scale == .log10
                ? Ticks.log10(lo: range.0, hi: range.1, maxCount: maxCount)
                : Ticks.linear(lo: range.0, hi: range.1, maxCount: maxCount)
            if fits(ticks, scale: scale, horizontal: horizontal, kit: kit) { break }
            maxCount -= 1
        }
        if !fits(ticks, scale: scale, horizontal: horizontal, kit: kit) {
            // Last resort: keep only the two ends' labels.
            let majors = ticks.filter(\.isMajor)
            if let f = majors.first, let l = majors.last { ticks = f == l ? [f] : [f, l] }
            if !fits(ticks, scale: scale, horizontal: horizontal, kit: kit), let f = ticks.first { ticks = [f] }
        }
        return ticks
    }

    /// True when the labelled ticks' labels keep a gap of half a font size between neighbours.
    func fits(_ ticks: [Tick], scale: Scale, horizontal: Bool, kit: TextKit) -> Bool {
        let size = style.tickSize
        let labelled = ticks.filter { $0.isMajor && !$0.label.isEmpty }.sorted { $0.value < $1.value }
        guard labelled.count >= 2 else { return true }
        for (a, b) in zip(labelled, labelled.dropFirst()) {
            let d = abs(scale.map(b.value) - scale.map(a.value))
            let need = horizontal
                ? (kit.width(a.label, size) + kit.width(b.label, size)) / 2 + size * 0.5
                : kit.lineHeight(size) + size * 0.5
            if d < need { return false }
        }
        return true
    }
}
