import XCTest
@testable import Corpus

final class LengthBatcherTests: XCTestCase {
    let lengths = (0..<103).map { ($0 * 37) % 23 + 1 }

    func testEverySentenceExactlyOncePerEpoch() {
        let batcher = LengthBatcher(lengths: lengths, batchSize: 8)
        var rng = TestGenerator(seed: 7)
        for _ in 0..<3 {
            let batches = batcher.epoch(using: &rng)
            XCTAssertEqual(batches.count, 13)
            XCTAssertEqual(batches.count, batcher.batchCount)
            XCTAssertEqual(batches.flatMap { $0 }.sorted(), Array(0..<103))
            XCTAssertEqual(batches.filter { $0.count != 8 }.map(\.count), [7])
        }
    }

    func testDeterministicForASeedAndDifferentAcrossEpochs() {
        let batcher = LengthBatcher(lengths: lengths, batchSize: 8)
        var a = TestGenerator(seed: 42), b = TestGenerator(seed: 42), c = TestGenerator(seed: 43)
        let first = batcher.epoch(using: &a)
        XCTAssertEqual(first, batcher.epoch(using: &b))
        XCTAssertNotEqual(first, batcher.epoch(using: &c))
        XCTAssertNotEqual(first, batcher.epoch(using: &a), "batch order changes from epoch to epoch")
    }

    func testBatchesAreGroupedByLength() {
        let batcher = LengthBatcher(lengths: lengths, batchSize: 8)
        var rng = TestGenerator(seed: 1)
        let batches = batcher.epoch(using: &rng)
        // Sorted by length before cutting: the batches' length ranges do not overlap.
        let ranges = batches.map { b in (b.map { lengths[$0] }.min() ?? 0, b.map { lengths[$0] }.max() ?? 0) }
            .sorted { $0.0 < $1.0 }
        for (x, y) in zip(ranges, ranges.dropFirst()) { XCTAssertLessThanOrEqual(x.1, y.0) }
        let spread = ranges.map { $0.1 - $0.0 }.max() ?? 0
        XCTAssertLessThanOrEqual(spread, 2, "23 distinct lengths over 13 batches")
    }

    func testEpochBatchesAndEdgeCases() {
        let sentences: [[Int32]] = [[4, 5, 6], [4], [5, 5]]
        var rng = TestGenerator(seed: 3)
        let batches = LengthBatcher(sentences: sentences, batchSize: 2).epochBatches(sentences, using: &rng)
        XCTAssertEqual(batches.flatMap { $0 }.count, 3)
        XCTAssertTrue(batches.contains([[4], [5, 5]]))
        XCTAssertEqual(LengthBatcher(lengths: [], batchSize: 4).epoch(using: &rng), [])
        XCTAssertEqual(LengthBatcher(lengths: [3], batchSize: 4).epoch(using: &rng), [[0]])
    }

    func testUniformStaysInRange() {
        var rng = TestGenerator(seed: 9)
        var seen = Set<Int>()
        for _ in 0..<500 { seen.insert(LengthBatcher.uniform(5, using: &rng)) }
        XCTAssertEqual(seen, [0, 1, 2, 3, 4])
        XCTAssertEqual(LengthBatcher.uniform(1, using: &rng), 0)
    }
}
