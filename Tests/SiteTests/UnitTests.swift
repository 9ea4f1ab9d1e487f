import Foundation
import XCTest
@testable import Site

final class CSVTests: XCTestCase {
    /// Minimal RFC 4180 line parser for the tests.
    static func parseLine(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false } } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(field); field = "" } else { field.append(c) }
        }
        fields.append(field)
        return fields
    }

    func testQuotingAndFormulaGuard() {
        XCTAssertEqual(Escape.csv("a,b"), "\"a,b\"")
        XCTAssertEqual(Escape.csv("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(Escape.csv("=cmd()"), "'=cmd()")
        XCTAssertEqual(Escape.csv("-1.5", isNumber: true), "-1.5")
        XCTAssertEqual(Self.parseLine("x,\"a,b\",\"q\"\"\""), ["x", "a,b", "q\""])
    }

    func testTableFormatsAgree() {
        let t = SiteTable(id: "t", title: "T", columns: ["name", "‖μ‖²"],
                          rows: [[.text("a & b_c"), .number(1.23456, digits: 3)], [.text("x"), .number(nil)]])
        XCTAssertEqual(t.csv(), "name,‖μ‖²\na & b_c,1.23456\nx,\n")   // full precision; missing is empty
        let tex = t.latex()
        XCTAssertTrue(tex.contains("\\begin{tabular}{lr}"), tex)
        XCTAssertTrue(tex.contains("a \\& b\\_c & 1.235 \\\\"), tex)
        XCTAssertTrue(tex.contains("$\\|$$\\mu$$\\|$$^2$"), tex)
        XCTAssertTrue(tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule"))
    }
}

final class EscapeAndSlugTests: XCTestCase {
    func testSlugsAreSafeAndUnique() {
        XCTAssertEqual(Slug.make("<script>alert(1)</script>"), "script-alert-1-script")
        XCTAssertEqual(Slug.make("../../etc/passwd"), "etc-passwd")
        XCTAssertEqual(Slug.make("ñ ü"), "item")
        var s = Slugger()
        XCTAssertEqual(s.unique("PTB max"), "ptb-max")
        XCTAssertEqual(s.unique("ptb_max"), "ptb-max-2")
        XCTAssertEqual(s.unique("ptb max"), "ptb-max-3")
        XCTAssertEqual(Slug.make(String(repeating: "a", count: 200)).count, 60)
    }

    func testNumberFormatting() {
        XCTAssertEqual(NumberFormat.fixed(-0.0001, digits: 2), "0.00")
        XCTAssertEqual(NumberFormat.fixed(.nan, digits: 2), "n/a")
        XCTAssertEqual(NumberFormat.auto(1234.5), "1234.5")
        XCTAssertEqual(NumberFormat.auto(0.123456), "0.123")
    }

    func testGlob() {
        XCTAssertTrue(Glob.matches("ptb-*", "ptb-max"))
        XCTAssertTrue(Glob.matches("*-c?", "kl-c3"))
        XCTAssertFalse(Glob.matches("ptb-*", "wiki-max"))
    }

    func testConfigFlattening() {
        let c = ConfigValue.flatten(json: Data(#"{"model": {"pooling": "max", "latentSize": 32}, "objective": {"kind": "elbo", "klTarget": 3.5, "anneal": true}, "seed": 1}"#.utf8))
        XCTAssertEqual(c["pooling"], .text("max"))
        XCTAssertEqual(c["model.latentSize"], .number(32))
        XCTAssertEqual(c["klTarget"]?.description, "3.500")
        XCTAssertEqual(c["anneal"], .bool(true))
        XCTAssertEqual(c["seed"]?.description, "1")
    }

    func testPCAFindsTheLeadingDirection() throws {
        // Points along (1, 1, 0) with small noise: PC1 explains nearly everything.
        var v: [Float] = []
        for i in 0..<200 { let t = Float(i) / 20 - 5; v += [t, t + 0.01 * Float(i % 3), 0.02 * Float(i % 5)] }
        let p = try XCTUnwrap(PCAProjection.compute(v, count: 200, dimension: 3))
        XCTAssertGreaterThan(p.explained[0], 0.99)
        XCTAssertEqual(p.count, 200)
        XCTAssertNil(PCAProjection.compute([1, 2], count: 1, dimension: 2))
    }
}

final class TemplateTests: XCTestCase {
    func testEmbeddedTemplatesMatchTemplatesDirectory() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("Templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(files, DefaultTemplates.files.keys.sorted(), "run scripts/embed-templates.sh")
        for f in files {
            XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8), DefaultTemplates.files[f],
                           "\(f) differs from its embedded copy: run scripts/embed-templates.sh")
        }
    }

    func testTemplatesDirectoryOverridesFileByFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("body { color: red }".utf8).write(to: dir.appendingPathComponent("style.css"))
        let set = try TemplateSet(directory: dir.path)
        XCTAssertEqual(set.stylesheet, "body { color: red }")
        XCTAssertThrowsError(try TemplateSet(directory: dir.appendingPathComponent("nope").path))
        try Data("{{#broken}}".utf8).write(to: dir.appendingPathComponent("run.mustache"))
        XCTAssertThrowsError(try TemplateSet(directory: dir.path)) { XCTAssertTrue($0.localizedDescription.contains("run.mustache")) }
    }
}
