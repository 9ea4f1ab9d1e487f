import Foundation
import XCTest
@testable import RunStore

/// NumPy files, `RunExporter` → `RunImporter` round trip, and each bad import file with its error.
final class ImportExportTests: XCTestCase {
    func testNumPyHeaderAndRoundTrip() throws {
        let data = NumPy.encode([1, 2, 3, 4, 5, 6], shape: [2, 3])
        XCTAssertEqual(Array(data.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0, "data must start on a 64-byte boundary")
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header)
        XCTAssertTrue(header.hasSuffix("\n"))
        let back = try NumPy.decode(data, path: "x.npy")
        XCTAssertEqual(back.shape, [2, 3])
        XCTAssertEqual(back.values, [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(String(decoding: NumPy.encode([7], shape: [1]), as: UTF8.self).contains("'shape': (1,)"))

        // A float64 file as numpy writes it (version 1.0, '<f8', shape (2,)).
        var f8 = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        var h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
        h += String(repeating: " ", count: 64 - (10 + h.count + 1) % 64) + "\n"
        f8.append(contentsOf: [UInt8(h.count & 0xff), UInt8(h.count >> 8)] + Array(h.utf8))
        for v in [0.5, -3.0] { withUnsafeBytes(of: v.bitPattern.littleEndian) { f8.append(contentsOf: $0) } }
        XCTAssertEqual(try NumPy.decode(f8, path: "y.npy").values, [0.5, -3])

        assertThrows(.badFile(path: "z.npy", location: "", detail: "not a NumPy .npy file (bad magic)")) {
            try NumPy.decode(Data("hello world!".utf8), path: "z.npy")
        }
        let truncated = data.dropLast(4)
        assertThrows(.badFile(path: "t.npy", location: "", detail: "shape (2, 3) needs 24 data bytes, file has 20")) {
            try NumPy.decode(Data(truncated), path: "t.npy")
        }
    }

    func makeRun(_ store: RunStore) throws -> Run {
        let run = try store.createRun(Run(name: "src", status: .completed, config: #"{"pooling":"mean"}"#))
        try store.appendScalars([ScalarPoint(step: 1, split: "train", key: "kl", value: 3),
                                 ScalarPoint(step: 2, epoch: 1, split: "valid", key: "kl", value: 2.5),
                                 ScalarPoint(step: 3, split: "train", key: "loss", value: .nan)], to: run.id)
        try store.writeSentences((0..<4).map { EvaluatedSentence(index: $0, text: "s \($0)", tokenCount: 2) },
                                 split: "test", of: run.id)
        try store.writeLatents(.fixture(n: 4, d: 3, s: 2, h: 5), split: "test", of: run.id)
        try store.appendDecodedTexts((0..<4).map {
            DecodedText(kind: .reconstructionMean, decoding: .greedy, zIndex: $0, sourceIndex: $0, text: "r \($0)")
        } + [DecodedText(kind: .priorSample, decoding: .topK(5), zIndex: 0, text: "g 0"),
             DecodedText(kind: .priorSample, decoding: .nucleus(0.5), zIndex: 0, text: "g 1")], split: "test", to: run.id)
        return run
    }

    func testExportThenImportRoundTrip() throws {
        let dir = TempDir()
        let store = try RunStore(path: dir.file("a.sqlite"))
        let run = try makeRun(store)
        let files = try RunExporter.export(run, from: store, to: dir.file("out"))
        XCTAssertEqual(Set(files.map { ($0 as NSString).lastPathComponent }),
                       ["scalars.csv", "config.json", "mu.npy", "logvar.npy", "z.npy", "features.npy", "sentences.txt",
                        "reconstructions.txt", "generations.tsv"])
        XCTAssertEqual(try NumPy.read(path: dir.file("out/z.npy")).shape, [2, 4, 3])

        let summary = try RunImporter.importRun(from: dir.file("out"), name: "copy", into: store)
        let copy = summary.run
        XCTAssertEqual(try store.latents(split: "test", of: copy.id), try store.latents(split: "test", of: run.id))
        XCTAssertEqual(try store.sentences(split: "test", of: copy.id), try store.sentences(split: "test", of: run.id))
        XCTAssertEqual(try store.scalars(of: copy.id), try store.scalars(of: run.id))
        XCTAssertEqual(try store.decodedTexts(of: copy.id), try store.decodedTexts(of: run.id))
        XCTAssertEqual(try store.run(named: "copy").config, #"{"pooling":"mean"}"#)
    }

    func testImportShortFormatsAndTwoDimensionalZ() throws {
        let dir = TempDir()
        let input = dir.file("in")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try NumPy.write(ramp(6), shape: [3, 2], to: input + "/z.npy")
        try "step,key,value\n10,kl,1.5\n20,kl,1.25\n".write(toFile: input + "/scalars.csv", atomically: true, encoding: .utf8)
        try "greedy\t-\ta b\ngreedy\t\tc\n".write(toFile: input + "/generations.tsv", atomically: true, encoding: .utf8)
        let store = try RunStore(path: dir.file("s.sqlite"))
        let run = try RunImporter.importRun(from: input, name: "imp", into: store, split: "valid").run
        let latents = try XCTUnwrap(try store.latents(split: "valid", of: run.id))
        XCTAssertEqual([latents.count, latents.latentSize, latents.samples], [3, 2, 1])
        XCTAssertEqual(try store.scalars(of: run.id).map(\.value), [1.5, 1.25])
        XCTAssertEqual(try store.decodedTexts(of: run.id).map(\.zIndex), [0, 1])
    }

    /// Each bad file: the error names the file and the line or shape, and the store gains no run.
    func testBadImportFilesWriteNothing() throws {
        let dir = TempDir()
        let store = try RunStore(path: dir.file("s.sqlite"))
        var n = 0
        func attempt(_ files: [String: Any], expect: RunStoreError, file: StaticString = #filePath, line: UInt = #line) throws {
            n += 1
            let input = dir.file("bad\(n)")
            try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
            for (name, content) in files {
                if let text = content as? String { try text.write(toFile: input + "/" + name, atomically: true, encoding: .utf8) }
                if let (values, shape) = content as? ([Float], [Int]) { try NumPy.write(values, shape: shape, to: input + "/" + name) }
            }
            let p = { (name: String) in input + "/" + name }
            assertThrows(Self.resolve(expect, p), file: file, line: line) {
                try RunImporter.importRun(from: input, name: "x", into: store)
            }
            XCTAssertEqual(try store.runs(), [], file: file, line: line)
        }
        try attempt(["mu.npy": (ramp(6), [3, 2]), "logvar.npy": (ramp(8), [4, 2])],
                    expect: .badFile(path: "@logvar.npy", location: "shape (4, 2)", detail: "has 4 sentences but mu.npy has 3"))
        try attempt(["mu.npy": (ramp(6), [3, 2]), "z.npy": (ramp(9), [3, 3])],
                    expect: .badFile(path: "@z.npy", location: "shape (3, 3)", detail: "latent size 3 differs from 2"))
        try attempt(["mu.npy": ([1, .nan, 3, 4] as [Float], [2, 2])],
                    expect: .badFile(path: "@mu.npy", location: "shape (2, 2), element 1 (flat index)", detail: "value is not finite"))
        try attempt(["mu.npy": (ramp(8), [2, 2, 2])],
                    expect: .badFile(path: "@mu.npy", location: "shape (2, 2, 2)", detail: "expected 2 dimensions (N, d)"))
        try attempt(["mu.npy": (ramp(6), [3, 2]), "sentences.txt": "a\nb\n"],
                    expect: .badFile(path: "@sentences.txt", location: "", detail: "has 2 lines but mu.npy has 3 rows"))
        try attempt(["sentences.txt": "a\nb\n", "reconstructions.txt": "a\n"],
                    expect: .badFile(path: "@reconstructions.txt", location: "", detail: "has 1 lines but sentences.txt has 2"))
        try attempt(["generations.tsv": "greedy\t\tok\ntop-k\tfive\tbad\n"],
                    expect: .badFile(path: "@generations.tsv", location: "line 2", detail: "top-k needs an integer k >= 1, found 'five'"))
        try attempt(["generations.tsv": "beam\t4\tx\n"],
                    expect: .badFile(path: "@generations.tsv", location: "line 1", detail: "unknown scheme 'beam' (greedy, top-k, nucleus)"))
        try attempt(["scalars.csv": "step,key,value\n1,kl,0.5\n2,kl,inf\n"],
                    expect: .badFile(path: "@scalars.csv", location: "line 3", detail: "value 'inf' is not a finite number (write nan for a missing or diverged value)"))
        try attempt(["scalars.csv": "1,kl\n"],
                    expect: .badFile(path: "@scalars.csv", location: "line 1", detail: "expected 3 (step,key,value) or 5 (step,epoch,split,key,value) comma-separated columns, found 2"))
        try attempt(["config.json": "[1, 2]"], expect: .badFile(path: "@config.json", location: "", detail: "is not a JSON object"))
        try attempt(["notes.md": "hi"], expect: .badFile(path: "@", location: "", detail:
            "no importable files (expected any of \(RunImporter.knownFiles.joined(separator: ", ")))"))
    }

    /// '@name' in an expected path stands for the file in the attempt's directory.
    static func resolve(_ e: RunStoreError, _ p: (String) -> String) -> RunStoreError {
        if case .badFile(let path, let location, let detail) = e, path.hasPrefix("@") {
            let name = String(path.dropFirst())
            let full = name.isEmpty ? String(p("").dropLast()) : p(name)
            return .badFile(path: full, location: location, detail: detail)
        }
        return e
    }

    func testDuplicateNameAndUnwritableOutput() throws {
        let dir = TempDir()
        let store = try RunStore(path: dir.file("s.sqlite"))
        let run = try makeRun(store)
        try RunExporter.export(run, from: store, to: dir.file("out"))
        assertThrows(.duplicateName(name: "src", path: dir.file("s.sqlite"))) {
            try RunImporter.importRun(from: dir.file("out"), name: "src", into: store)
        }
        XCTAssertEqual(try store.runs().count, 1)
        // Under a regular file no directory can be made (this holds even for root).
        let blocker = dir.file("plain-file")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        assertThrows(.cannotWrite(path: blocker + "/out", reason: "cannot create directory"), mentions: blocker) {
            try RunExporter.export(run, from: store, to: blocker + "/out")
        }
        assertThrows(.cannotWrite(path: blocker, reason: "exists and is not a directory")) {
            try RunExporter.export(run, from: store, to: blocker)
        }
        XCTAssertEqual(FileManager.default.contents(atPath: blocker), Data("x".utf8))
    }
}
