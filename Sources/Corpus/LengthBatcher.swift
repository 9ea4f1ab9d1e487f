/// Deterministic length-grouped batching.
///
/// One epoch: shuffle the sentence indices (Fisher–Yates with `rng`), sort them stably by length (so equal
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

    /// - Precondition: `batchSize` ≥ 1.
    public init(lengths: [Int], batchSize: Int) {
        precondition(batchSize >= 1, "batch size must be at least 1")
        self.lengths = lengths
        self.batchSize = batchSize
    }

    public init(sentences: [[Int32]], batchSize: Int) {
        self.init(lengths: sentences.map(\.count), batchSize: batchSize)
    }

    /// Batches per epoch: ⌈n / batchSize⌉ (0 for no sentences).
    public var batchCount: Int { (lengths.count + batchSize - 1) / batchSize }

    /// The batches of one epoch as indices into the sentences.
    public func epoch(using rng: inout some RandomNumberGenerator) -> [[Int]] {
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
