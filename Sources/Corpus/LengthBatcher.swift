/// Deterministic length-grouped batching, in one of two modes.
///
/// `equalLength` (He et al. 2019's `create_data_batch`): the batches are made once — the sentences of each exact
/// length, in corpus order, cut into batches of at most `batchSize` (the last of a length may be smaller) — and
/// each epoch only shuffles their order. No padding ever; more batches than ⌈n / batchSize⌉.
///
/// `sorted` (the default) — one epoch: shuffle the sentence indices (Fisher–Yates with `rng`), sort them stably by length (so equal
/// lengths stay in shuffled order and batch composition changes from epoch to epoch), cut the sorted list
/// into consecutive batches of `batchSize` (the last one may be smaller), then shuffle the batch order.
/// Every index appears exactly once per epoch; the same generator state gives the same epoch. Padding within
/// a batch is small because neighbours in the sorted order have close lengths.
///
/// Draws use `uniform(_:_:)` below rather than the standard library's `shuffle(using:)`, whose use of the
/// generator is an implementation detail that could change between Swift versions.
public struct LengthBatcher: Sendable {
    /// Sentence lengths, indexed like the sentences.
    public let lengths: [Int]
    /// Sentences per batch (≥ 1).
    public let batchSize: Int
    /// The batches of the `equalLength` mode (nil in `sorted` mode), in length order.
    public let fixedBatches: [[Int]]?

    /// - Precondition: `batchSize` ≥ 1.
    public init(lengths: [Int], batchSize: Int, equalLength: Bool = false) {
        precondition(batchSize >= 1, "batch size must be at least 1")
        self.lengths = lengths
        self.batchSize = batchSize
        fixedBatches = equalLength ? Self.equalLengthBatches(lengths: lengths, batchSize: batchSize) : nil
    }

    public init(sentences: [[Int32]], batchSize: Int, equalLength: Bool = false) {
        self.init(lengths: sentences.map(\.count), batchSize: batchSize, equalLength: equalLength)
    }

    /// The sentences of each exact length (shortest first), in index order, cut into batches of `batchSize`.
    static func equalLengthBatches(lengths: [Int], batchSize: Int) -> [[Int]] {
        var byLength: [Int: [Int]] = [:]
        for (i, n) in lengths.enumerated() { byLength[n, default: []].append(i) }
        var batches: [[Int]] = []
        for n in byLength.keys.sorted() {
            let members = byLength[n]!
            var start = 0
            while start < members.count {
                let end = min(start + batchSize, members.count)
                batches.append(Array(members[start..<end]))
                start = end
            }
        }
        return batches
    }

    /// Batches per epoch: ⌈n / batchSize⌉ (0 for no sentences), or the number of equal-length batches.
    public var batchCount: Int { fixedBatches?.count ?? (lengths.count + batchSize - 1) / batchSize }

    /// The batches of one epoch as indices into the sentences.
    public func epoch(using rng: inout some RandomNumberGenerator) -> [[Int]] {
        if var batches = fixedBatches {
            Self.shuffle(&batches, using: &rng)
            return batches
        }
        var order = Array(lengths.indices)
        Self.shuffle(&order, using: &rng)
        // Stable sort by length: ties keep their shuffled position.
        var rank = [Int](repeating: 0, count: lengths.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        order.sort { a, b in lengths[a] != lengths[b] ? lengths[a] < lengths[b] : rank[a] < rank[b] }
        var batches: [[Int]] = []
        batches.reserveCapacity(batchCount)
        var start = 0
        while start < order.count {
            let end = min(start + batchSize, order.count)
            batches.append(Array(order[start..<end]))
            start = end
        }
        Self.shuffle(&batches, using: &rng)
        return batches
    }

    /// The batches of one epoch as sentences.
    public func epochBatches(_ sentences: [[Int32]], using rng: inout some RandomNumberGenerator) -> [[[Int32]]] {
        precondition(sentences.count == lengths.count, "batcher was built for \(lengths.count) sentences")
        return epoch(using: &rng).map { batch in batch.map { sentences[$0] } }
    }

    /// A uniform integer in 0..<n (n ≥ 1) by Lemire's multiply-shift with rejection, so it is unbiased and
    /// its use of the generator is fixed by this code.
    public static func uniform(_ n: Int, using rng: inout some RandomNumberGenerator) -> Int {
        precondition(n >= 1)
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let product = rng.next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// Fisher–Yates shuffle drawing from `rng` through `uniform`.
    public static func shuffle<T>(_ a: inout [T], using rng: inout some RandomNumberGenerator) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = uniform(i + 1, using: &rng)
            if i != j { a.swapAt(i, j) }
        }
    }
}
