import Foundation
import XCTest
@testable import Charts

final class GalleryTests: XCTestCase {
    /// Writes the gallery when VAESCOPE_GALLERY_DIR is set (skipped otherwise: the charts are large for debug builds).
    func testGalleryRenders() throws {
        guard let dir = ProcessInfo.processInfo.environment["VAESCOPE_GALLERY_DIR"] else {
            throw XCTSkip("set VAESCOPE_GALLERY_DIR to write the gallery")
        }
        for (name, chart) in GalleryCharts.all {
            let size = RenderSize(width: 900, height: 560)
            let png = try chart.png(size: size)
            XCTAssertGreaterThan(png.count, 1000, name)
            do {
                let base = URL(fileURLWithPath: dir).appendingPathComponent(name)
                try png.write(to: base.appendingPathExtension("png"))
                try chart.writeSVG(to: base.appendingPathExtension("svg"), size: size)
                try chart.pdf(size: size).write(to: base.appendingPathExtension("pdf"))
            }
            if name == "line_kl_poolings" {
                try chart.writePNG(to: URL(fileURLWithPath: dir).appendingPathComponent("\(name)_2x.png"),
                                   size: RenderSize(width: 900, height: 560, scale: 2))
            }
        }
    }
}
