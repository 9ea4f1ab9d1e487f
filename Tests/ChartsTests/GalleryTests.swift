import Foundation
import XCTest
@testable import Charts

final class GalleryTests: XCTestCase {
    /// Writes the gallery when VAESCOPE_GALLERY_DIR is set; otherwise renders each chart in memory.
    func testGalleryRenders() throws {
        let dir = ProcessInfo.processInfo.environment["VAESCOPE_GALLERY_DIR"]
        for (name, chart) in GalleryCharts.all {
            let size = RenderSize(width: 900, height: 560)
            let png = try chart.png(size: size)
            XCTAssertGreaterThan(png.count, 1000, name)
            if let dir {
                let base = URL(fileURLWithPath: dir).appendingPathComponent(name)
                try png.write(to: base.appendingPathExtension("png"))
                try chart.writeSVG(to: base.appendingPathExtension("svg"), size: size)
            }
        }
    }
}
