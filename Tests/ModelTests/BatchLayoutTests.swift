import XCTest
@testable import Model

/// The time-major layout of a batch, checked by hand on two sentences of different lengths.
final class BatchLayoutTests: XCTestCase {
    let pad = SpecialToken.pad, bos = SpecialToken.bos, eos = SpecialToken.eos

    func testEncoderReadsWordsAloneWithoutBoundaries() {
        var p = PreparedBatch()
        p.prepare([[10, 11, 12], []], encoder: true, boundaries: false, vocabularySize: 20)
        XCTAssertEqual(p.encoderLengths, [3, 1], "an empty sentence is read as <eos>")
        // rows t·B + b, B = 2
        XCTAssertEqual(p.encoderIds, [10, eos, 11, pad, 12, pad])
    }

    func testEncoderReadsBoundaryTokensSoLastIsTheStateAfterEOS() {
        var p = PreparedBatch()
        p.prepare([[10, 11, 12], [13]], encoder: true, boundaries: true, vocabularySize: 20)
        XCTAssertEqual(p.encoderLengths, [5, 3])
        XCTAssertEqual(p.encoderIds, [bos, bos, 10, 13, 11, eos, 12, pad, eos, pad])
        // The decoder side does not change: <bos> w… in, w… <eos> out.
        XCTAssertEqual(p.decoderLengths, [4, 2])
        XCTAssertEqual(p.decoderInputs, [bos, bos, 10, 13, 11, pad, 12, pad])
        XCTAssertEqual(p.targets, [10, 13, 11, eos, 12, pad, eos, pad])
    }

    func testEmptySentenceWithBoundariesIsBosEos() {
        var p = PreparedBatch()
        p.prepare([[]], encoder: true, boundaries: true, vocabularySize: 20)
        XCTAssertEqual(p.encoderLengths, [2])
        XCTAssertEqual(p.encoderIds, [bos, eos])
    }
}
