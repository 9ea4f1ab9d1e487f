import Foundation
import XCTest
@testable import Charts

/// The fast paths of the PNG canvas checked against slow, obvious versions: the scanline deflate against
/// libpng's decoder, the tile-skipping box filter against the full one, lazy clearing, the thick-line
/// rasteriser, sprite-stamped markers, dashes, and greedy scatter-label placement.
final class RasterTests: XCTestCase {
    private func image(_ w: Int, _ h: Int, _ c: Color = .white) throws -> GDImage {
        let img = try GDImage(width: w, height: h)
        img.fill(x0: 0, y0: 0, x1: w, y1: h, c)
        return img
    }
    private func pixels(_ img: GDImage) -> [Int32] {
        (0..<img.height).flatMap { y in (0..<img.width).map { img.row(y)[$0] & 0xFFFFFF } }
    }

    func testScanlineDeflateRoundTripsThroughLibpng() throws {
        var seed: UInt64 = 7
        func next() -> Int32 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int32(truncatingIfNeeded: seed >> 33) }
        for (w, h) in [(1, 1), (1, 5), (7, 1), (37, 23), (300, 40)] {
            let img = try image(w, h)
            for y in 0..<h {
                let r = img.row(y)
                switch y % 5 {
                case 0: for x in 0..<w { r[x] = next() & 0xFFFFFF }                   // noise: literals
                case 1: break                                                         // same as above? no: white
                case 2: for x in 0..<w where x % 3 == 0 { r[x] = 0x336699 }           // sparse changes
                case 3: for x in 0..<w { r[x] = 0x102030 }                           // one colour: distance-3 repeats
                default: if y > 0 { r.update(from: img.row(y - 1), count: w) }       // identical rows: zero runs
                }
            }
            let png = try PNGWriter.encode(img)
            let back = try GDImage(png: png)
            XCTAssertEqual(back.width, w); XCTAssertEqual(back.height, h)
            XCTAssertEqual(pixels(back), pixels(img), "\(w)×\(h) differs after PNG round trip")
        }
    }

    func testScanlineDeflateCompressesFlatImages() throws {
        let img = try image(1200, 800)
        img.fill(x0: 100, y0: 100, x1: 1100, y1: 700, Color(hex: 0xEEEEEE))
        let png = try PNGWriter.encode(img)
        XCTAssertLessThan(png.count, 20_000, "a two-colour 1200×800 image should deflate to a few kB, got \(png.count) B")
        XCTAssertEqual(pixels(try GDImage(png: png)), pixels(img))
    }

    func testHuffmanLengthsAreLimitedAndComplete() {
        // Fibonacci frequencies make a maximally deep Huffman tree (depth n − 1 for n symbols).
        var fib = [1, 1]
        while fib.count < 30 { fib.append(fib[fib.count - 1] + fib[fib.count - 2]) }
        for (freq, limit) in [(fib, 15), (fib, 7), ([0, 5, 0], 15), ([0, 0, 3, 0], 7), ([Int](repeating: 1, count: 286), 15)] {
            let lens = Huffman.lengths(freq, limit: limit)
            XCTAssertLessThanOrEqual(Int(lens.max() ?? 0), limit)
            for (i, f) in freq.enumerated() where f > 0 { XCTAssertGreaterThan(lens[i], 0, "used symbol \(i) has no code") }
            let kraft = lens.filter { $0 > 0 }.reduce(0.0) { $0 + pow(2, -Double($1)) }
            XCTAssertEqual(kraft, 1, accuracy: 1e-12, "code must be complete (Kraft sum 1) for \(freq.count) symbols")
        }
    }

    func testTileSkippingBoxFilterMatchesFullFilter() throws {
        // A 2× layer with a diagonal line drawn on a white background and a crisp block-aligned grey band.
        func layer(tracking: Bool) throws -> GDImage {
            let big = try image(96, 64)
            if tracking { big.trackTiles(side: 16) }
            big.fill(x0: 0, y0: 20, x1: 96, y1: 22, Color(hex: 0x999999))
            big.markDirty(x0: 5, y0: 5, x1: 60, y1: 50)
            big.thickLine(8, 8, 57, 47, thick: 3, Color(hex: 0x0072B2))
            return big
        }
        let full = try image(60, 40, .black), fast = try image(60, 40, .black)
        try layer(tracking: false).downsample(by: 2, into: full, atX: 5, y: 3)
        // The fast path expects the clean content (background, crisp band) already in the destination.
        fast.fill(x0: 5, y0: 3, x1: 53, y1: 35, .white)
        fast.fill(x0: 5, y0: 13, x1: 53, y1: 14, Color(hex: 0x999999))
        let tracked = try layer(tracking: true)
        tracked.downsample(by: 2, into: fast, atX: 5, y: 3)
        XCTAssertEqual(pixels(fast), pixels(full))
        XCTAssertTrue(tracked.tiles.contains(false), "the hand case must have clean tiles to skip")
        // Three-fold supersampling takes the general path: same agreement.
        let big3 = try image(90, 60); big3.trackTiles(side: 24)
        big3.markDirty(x0: 0, y0: 0, x1: 40, y1: 40); big3.thickLine(3, 3, 38, 30, thick: 4, .black)
        let all3 = try image(90, 60); all3.thickLine(3, 3, 38, 30, thick: 4, .black)
        let a = try image(30, 20), b = try image(30, 20)
        big3.downsample(by: 3, into: a, atX: 0, y: 0); all3.downsample(by: 3, into: b, atX: 0, y: 0)
        XCTAssertEqual(pixels(a), pixels(b))
    }

    func testLazyClearRepaintsEverythingTouched() throws {
        let big = try ScratchImages.take(width: 80, height: 48)
        big.clear(to: .white); big.trackTiles(side: 16)
        big.fill(x0: 0, y0: 10, x1: 80, y1: 11, .black)        // a crisp line: recorded, not dirty
        big.markDirty(x0: 30, y0: 30, x1: 50, y1: 40)
        big.thickLine(30, 30, 50, 40, thick: 2, .black)
        big.clear(to: .white)
        XCTAssertTrue(pixels(big).allSatisfy { $0 == 0xFFFFFF }, "lazy clear left drawn pixels behind")
        big.trackTiles(side: 16)
        big.clear(to: .black)                                   // another colour: a full repaint
        XCTAssertTrue(pixels(big).allSatisfy { $0 == 0 })
    }

    func testThickLineCoversTheExpectedPixels() throws {
        let img = try image(20, 20)
        img.thickLine(2, 10, 12, 10, thick: 3, .black)          // horizontal: rows 9…11, columns 2…12
        for y in 0..<20 {
            for x in 0..<20 {
                let inside = (2...12).contains(x) && (9...11).contains(y)
                XCTAssertEqual(img.row(y)[x] & 0xFFFFFF, inside ? 0 : 0xFFFFFF, "(\(x), \(y))")
            }
        }
        let v = try image(20, 20)
        v.thickLine(5, 18, 5, 2, thick: 2, .black)             // vertical, drawn upwards: columns 4…5
        XCTAssertEqual(v.row(10)[4] & 0xFFFFFF, 0); XCTAssertEqual(v.row(10)[5] & 0xFFFFFF, 0)
        XCTAssertEqual(v.row(10)[6] & 0xFFFFFF, 0xFFFFFF); XCTAssertEqual(v.row(1)[5] & 0xFFFFFF, 0xFFFFFF)
        // Far-off ends are clipped before rasterising (no walk over millions of pixels, nothing drawn outside).
        XCTAssertNil(Clip.segment((-1e12, -5), (1e12, -5), x0: 0, y0: 0, x1: 20, y1: 20))
        let c = try XCTUnwrap(Clip.segment((-1e12, 10), (1e12, 10), x0: 0, y0: 0, x1: 20, y1: 20))
        XCTAssertEqual(c.0.0, 0, accuracy: 1e-3); XCTAssertEqual(c.1.0, 20, accuracy: 1e-3)
    }

    func testStampedCircleCoversTheExpectedPixels() throws {
        let img = try image(30, 30)
        Stamp.markers([(15.0, 15.0)], .circle, radius: 4, fill: .black, on: img)
        func grey(_ x: Int, _ y: Int) -> Int32 { img.row(y)[x] & 0xFF }
        // Pixel (x, y) covers [x, x+1) × [y, y+1); the disc is centred on the corner point (15, 15).
        XCTAssertEqual(grey(14, 14), 0); XCTAssertEqual(grey(15, 15), 0); XCTAssertEqual(grey(12, 15), 0)
        XCTAssertEqual(grey(15, 21), 255); XCTAssertEqual(grey(21, 15), 255); XCTAssertEqual(grey(8, 8), 255)
        // Edge pixels are partly covered (anti-aliased), and the total ink is the disc's area π r².
        XCTAssertTrue((1...254).contains(grey(18, 12)), "edge pixel should be grey, is \(grey(18, 12))")
        let ink = (0..<30).flatMap { y in (0..<30).map { x in Double(255 - grey(x, y)) / 255 } }.reduce(0, +)
        XCTAssertEqual(ink, Double.pi * 16, accuracy: 1.0)
    }

    func testDashesAlternateByArcLength() {
        var d = Dashing(pattern: [4, 2])
        var drawn = 0.0, pieces = 0
        for i in 0..<10 {
            d.walk((Double(i) * 3, 0), (Double(i + 1) * 3, 0)) { a, b in drawn += b.0 - a.0; pieces += 1 }
        }
        // 30 px of 4-on/2-off: on over [0,4) [6,10) [12,16) [18,22) [24,28) = 20 px.
        XCTAssertEqual(drawn, 20, accuracy: 1e-9)
        XCTAssertGreaterThanOrEqual(pieces, 5)
    }

    func testScatterLabelsDoNotOverlapAndHiddenOnesAreCounted() throws {
        // Twelve labelled points on top of each other: at most four places around the pile, the rest hidden.
        let pile = ScatterChart(groups: [ScatterGroup("g", x: [Double](repeating: 1, count: 12) + [0, 2],
                                                      y: [Double](repeating: 1, count: 12) + [0, 2],
                                                      labels: (0..<14).map { "label \($0)" })])
        let runs = try pile.drawing(size: RenderSize(width: 400, height: 300)).texts
        let labels = runs.filter { $0.role == "label" }
        for i in labels.indices { for j in labels.indices where j > i {
            XCTAssertFalse(labels[i].bounds.intersects(labels[j].bounds), "'\(labels[i].text)' overlaps '\(labels[j].text)'")
        } }
        XCTAssertLessThanOrEqual(labels.count, 6)
        let note = try XCTUnwrap(runs.first { $0.text.hasSuffix("hidden (overlap)") })
        XCTAssertEqual(note.text, "\(14 - labels.count) labels hidden (overlap)")
        // Well-separated points keep every label and get no note.
        let apart = ScatterChart(groups: [ScatterGroup("g", x: [0, 5, 10], y: [0, 5, 10], labels: ["a", "b", "c"])])
        let r2 = try apart.drawing(size: RenderSize(width: 400, height: 300)).texts
        XCTAssertEqual(r2.filter { $0.role == "label" }.count, 3)
        XCTAssertFalse(r2.contains { $0.text.contains("hidden") })
    }
}
