import Foundation
import XCTest
@testable import Corpus

/// The long-document corpus from An Anarchist FAQ's HTML (`vaescope corpus --sources anarchism`), on crafted
/// pages shaped like the package's (the package itself is only installed when the source is asked for).
final class DocumentCorpusTests: XCTestCase {
    static func paragraph(_ i: Int, words: Int = 25) -> String {
        (0..<words).map { "w\(i)x\($0 % 7)" }.joined(separator: " ")
    }

    func testLabelsComeFromTheFileName() {
        XCTAssertEqual(DocumentCorpus.label(forFile: "secA1.html"), "A")
        XCTAssertEqual(DocumentCorpus.label(forFile: "secJint.html"), "J")
        XCTAssertEqual(DocumentCorpus.label(forFile: "secH6.html"), "H")
        XCTAssertEqual(DocumentCorpus.label(forFile: "append31.html"), "appendix")
        XCTAssertNil(DocumentCorpus.label(forFile: "biblio.html"))
        XCTAssertNil(DocumentCorpus.label(forFile: "secK1.html"))
        XCTAssertNil(DocumentCorpus.label(forFile: "secA1.md.gz"))
    }

    func testParagraphsAreTheTextOfEachPElement() {
        let html = """
        <html><head><title>A.1 What?</title></head><body><h2>A.1.1 Heading</h2>
        <p>Anarchism is <i>"the absence of a master."</i> [P-J Proudhon, <b>What is Property</b>, p. 264]</p>
        <p><a name="seca11"></a></p>
        <blockquote><p> <i>"Quoted &amp; kept"</i>&#46;</p></blockquote>
        <pre>not a paragraph</pre><p class="rteleft">line<br>break</p>
        """
        XCTAssertEqual(DocumentCorpus.paragraphs(inHTML: html).map { SentenceCleaner.normalize($0) }, [
            #"Anarchism is "the absence of a master." [P-J Proudhon, What is Property , p. 264]"#,
            "",
            #""Quoted & kept" ."#,
            "line break",
        ])
    }

    func testCleaningFoldsDiacriticsAndEnforcesLengths() {
        XCTAssertEqual(try DocumentCorpus.clean("Proudhon’s “café” — yes", minLength: 1, maxLength: 20).get(),
                       "proudhon 's \" cafe \" -- yes")
        XCTAssertEqual(DocumentCorpus.clean("too short", minLength: 3, maxLength: 20), .failure(.tooShort))
        XCTAssertEqual(DocumentCorpus.clean("a b c d e", minLength: 1, maxLength: 4), .failure(.tooLong))
        XCTAssertEqual(DocumentCorpus.clean("Кропоткин wrote", minLength: 1, maxLength: 20), .failure(.nonASCII))
    }

    func testSplitsAreDeterministicDisjointAndLabelled() throws {
        var pages: [(name: String, html: String)] = []
        for (k, name) in ["secA1.html", "secB2.html", "append1.html", "index.html"].enumerated() {
            let body = (0..<30).map { "<p>\(Self.paragraph(k * 100 + $0))</p>" }.joined(separator: "\n")
            pages.append((name, body + "<p>\(Self.paragraph(999))</p>"))   // the same paragraph on every page
        }
        var options = DocumentCorpusOptions()
        options.validCount = 10
        options.testCount = 12
        let a = DocumentCorpus.assemble(pages: pages, options: options)
        let b = DocumentCorpus.assemble(pages: pages.reversed(), options: options)
        XCTAssertEqual(a.splits, b.splits, "page order does not matter")
        XCTAssertEqual(a.splits[.valid]?.count, 10)
        XCTAssertEqual(a.splits[.test]?.count, 12)
        XCTAssertEqual(a.splits[.train]?.count, 90 + 1 - 22)   // 3 labelled pages × 30 + the shared paragraph
        XCTAssertEqual(a.rejected[.duplicate], 2)
        XCTAssertEqual(a.candidates, 93)                        // index.html is not read
        let all = a.splits.values.flatMap { $0 }
        XCTAssertEqual(Set(all.map(\.text)).count, all.count)
        XCTAssertEqual(Set(all.map(\.label)), ["A", "B", "appendix"])
        // The shared paragraph keeps the label of the first page in file-name order (append1 < secA1 < secB2).
        XCTAssertEqual(all.first { $0.text == Self.paragraph(999) }?.label, "appendix")
        options.seed = 1
        XCTAssertNotEqual(DocumentCorpus.assemble(pages: pages, options: options).splits[.valid], a.splits[.valid])
    }

    /// The whole command path: files written twice are byte-identical, and labels line up with documents.
    func testWriteTwiceGivesIdenticalFilesAndAlignedLabels() throws {
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("faq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        for (k, name) in ["secC1.html", "secD1.html"].enumerated() {
            let body = (0..<40).map { "<p>\(Self.paragraph(k * 1000 + $0, words: 20 + $0))</p>" }.joined()
            try body.write(to: source.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        var options = DocumentCorpusOptions()
        options.directory = source.path
        options.validCount = 5
        options.testCount = 5
        let out1 = source.appendingPathComponent("out1").path, out2 = source.appendingPathComponent("out2").path
        let report = try DocumentCorpus.write(to: out1, options: options)
        _ = try DocumentCorpus.write(to: out2, options: options)
        for file in ["train.txt", "valid.txt", "test.txt", "train.labels", "valid.labels", "test.labels"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(out1)/\(file)")),
                           try Data(contentsOf: URL(fileURLWithPath: "\(out2)/\(file)")), file)
        }
        let texts = try String(contentsOfFile: "\(out1)/train.txt", encoding: .utf8).split(separator: "\n")
        let labels = try String(contentsOfFile: "\(out1)/train.labels", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(texts.count, 70)
        XCTAssertEqual(labels.count, texts.count)
        for (t, l) in zip(texts, labels) {   // C's paragraphs are w0 … w39, D's w1000 … w1039
            XCTAssertEqual(String(l), t.split(separator: "x").first!.count == 5 ? "D" : "C")
        }
        XCTAssertEqual(report.splits[.valid]?.sentences, 5)
        XCTAssertTrue(report.description.contains("labels: C 40, D 40"), report.description)
        options.directory = source.appendingPathComponent("missing").path
        XCTAssertThrowsError(try DocumentCorpus.write(to: out1, options: options)) { error in
            XCTAssertTrue(error.localizedDescription.contains("apt-get install anarchism"), error.localizedDescription)
        }
    }
}
