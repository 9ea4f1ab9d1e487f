import Charts

/// One colour per category across the whole site: a series' colour depends on its name alone, never on its
/// position in a figure or on which other runs the site holds — "pooling=max" is the same colour on every page,
/// and a rebuild that adds runs redraws nothing for colour's sake. Categories the papers compare have pinned
/// colours; any other name gets a colour from its hash. Inside one figure two series never share a colour: a
/// later series whose colour is taken moves to the next free one (in palette order).
enum CategoryColours {
    /// The category a series name stands for: without a trailing " (n=3)" and, for "key=value", the value
    /// ("pooling=max (n=2)" → "max"); a curve of one split ("KL (valid)") stands for its split.
    static func category(_ name: String) -> String {
        var s = Substring(name)
        if let open = s.range(of: " (n=", options: .backwards), s.hasSuffix(")") { s = s[..<open.lowerBound] }
        for split in ["train", "valid", "test"] where s.hasSuffix(" (\(split))") { return split }
        if !s.contains(","), let eq = s.firstIndex(of: "=") { s = s[s.index(after: eq)...] }
        return String(s)
    }

    /// Pinned palette slots (Color.palette: blue, orange, bluish green, vermillion, reddish purple, sky blue,
    /// yellow, black): the last state blue and max pooling vermillion everywhere; train blue, valid orange.
    static let pinned: [String: Int] = [
        "last": 0, "max": 3, "mean": 2, "absMax": 4,
        "lstm": 0, "gru": 2, "cnn": 3,
        "elbo": 0, "klTarget": 1, "language model": 7,
        "carries signal": 2, "collapsed to the prior": 7, "too weak": 1, "too noisy": 4,
        "train": 0, "valid": 1, "test": 2,
    ]

    static let hashedSlots = [0, 1, 2, 3, 4, 5, 7]

    /// Palette slots for the series of one figure, in order.
    static func slots(_ names: [String], paletteSize: Int = Color.palette.count) -> [Int] {
        var used = Set<Int>()
        return names.map { name in
            let c = category(name)
            // Hashed names avoid yellow (slot 6), too pale for a thin line on white; pinned ones may use it.
            var slot = pinned[c] ?? hashedSlots[Int(hash(c) % UInt64(hashedSlots.count))]
            if used.contains(slot) {
                // The next free slot; a hashed name takes yellow (6) only when every other slot is taken.
                let order = pinned[c] == nil ? hashedSlots + [6] : Array(0..<paletteSize)
                let start = order.firstIndex(of: slot) ?? 0
                slot = (0..<order.count).map { order[(start + $0) % order.count] }.first { !used.contains($0) } ?? slot
            }
            used.insert(slot)
            return slot
        }
    }

    static func colours(_ names: [String]) -> [Color] { slots(names).map { Color.palette[$0] } }

    /// A stable hash of a category name (Swift's Hasher is seeded per process).
    private static func hash(_ s: String) -> UInt64 {
        var h = ContentHasher()
        h.combine(s)
        return h.value
    }
}
