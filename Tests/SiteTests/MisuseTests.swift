import Foundation
import RunStore
import XCTest
@testable import Site

/// Issue 20: the site never deletes its own input and recovers what killed builds left behind.
final class MisuseTests: XCTestCase {
    /// `report --db site/runs.sqlite --out site` used to replace site/ and with it the store (exit 0).
    func testOutputHoldingAStoreIsRefusedAndTheStoreKept() throws {
        let f = try Fixture()
        defer { f.remove() }
        let (site, _) = try f.build()
        let inside = site.appendingPathComponent("runs.sqlite").path
        try FileManager.default.copyItem(atPath: f.store, toPath: inside)
        var options = SiteBuilder.Options(stores: [inside], specs: [], output: site.path)
        options.draft = true
        XCTAssertThrowsError(try SiteBuilder.build(options)) { error in
            XCTAssertTrue(error.localizedDescription.contains("holds the store"), error.localizedDescription)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: inside))
        // A spec or the templates inside the output are refused alike; so is --out equal to an input's folder.
        let spec = site.appendingPathComponent("mine.yaml").path
        try "title: x\nexhibits: []\n".write(toFile: spec, atomically: true, encoding: .utf8)
        options = SiteBuilder.Options(stores: [f.store], specs: [spec], output: site.path)
        XCTAssertThrowsError(try SiteBuilder.build(options))
        options = SiteBuilder.Options(stores: [f.store], specs: [], output: f.directory.path)
        XCTAssertThrowsError(try SiteBuilder.build(options))
        XCTAssertTrue(FileManager.default.fileExists(atPath: spec))
    }

    /// A kill between the two renames of the swap left no site/ and a `.site.old-PID`; the next build put
    /// neither back nor away. Now it restores the old site first and clears stale temporaries.
    func testLeftoversOfAKilledBuildAreRecovered() throws {
        let f = try Fixture()
        defer { f.remove() }
        let (site, _) = try f.build()
        let dead: Int32 = 999_999   // no such process (pid_max is far lower on Linux)
        let old = f.directory.appendingPathComponent(".site.old-\(dead)")
        let tmp = f.directory.appendingPathComponent(".site.tmp-\(dead)")
        try FileManager.default.moveItem(at: site, to: old)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let actions = SiteWriter.recoverLeftovers(site.path)
        XCTAssertEqual(actions.count, 2, "\(actions)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent("index.html").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: old.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.path))
        // With the site present, an old copy of a dead build is simply removed; a build then succeeds.
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        _ = try f.build()
        XCTAssertFalse(FileManager.default.fileExists(atPath: old.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.directory.path).filter { $0.hasPrefix(".site.") }
        XCTAssertEqual(leftovers, [])
    }

    /// Bidi overrides in a run name (or any text) cannot reorder the page around them: names and text cells are
    /// isolated in <bdi>.
    func testBidiOverridesAreIsolated() throws {
        let f = try Fixture(runs: [SyntheticRun(name: "evil\u{202E}txt.exe", seed: 9)])
        defer { f.remove() }
        let (site, _) = try f.build()
        let pages = Fixture.files(site).filter { $0.hasPrefix("runs/") && $0.hasSuffix(".html") }
        var found = false
        for page in pages {
            let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
            guard html.contains("evil\u{202E}") else { continue }
            found = true
            XCTAssertTrue(html.contains("<h1><bdi>\u{2068}evil\u{202E}txt.exe\u{2069}</bdi></h1>"), page)
            let outside = html.replacingOccurrences(of: #"<bdi>[^<]*</bdi>"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: "\u{2068}[^\u{2069}]*\u{2069}", with: "", options: .regularExpression)
            XCTAssertFalse(outside.contains("\u{202E}"), "\(page): an override outside <bdi>")
        }
        XCTAssertTrue(found)
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("<bdi>\u{2068}evil\u{202E}txt.exe\u{2069}</bdi>"))
    }

    /// An empty file given to a reading command used to become a 90 KB store.
    func testEmptyFileIsNotMadeIntoAStore() throws {
        let f = try Fixture()
        defer { f.remove() }
        let empty = f.directory.appendingPathComponent("empty.sqlite").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let options = SiteBuilder.Options(stores: [empty], specs: [], output: f.directory.appendingPathComponent("out").path)
        XCTAssertThrowsError(try SiteBuilder.build(options)) { error in
            XCTAssertTrue(error.localizedDescription.contains("empty file"), error.localizedDescription)
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int, 0)
    }
}
