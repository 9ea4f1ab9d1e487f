import Foundation

/// What `RunImporter` found in a directory and stored.
public struct ImportSummary: Equatable, Sendable {
    public var run: Run
    public var split: String
    /// File name → one-line description ("mu.npy: 100×32").
    public var files: [String: String]
}

/// Makes a run from files any trainer can write (all optional, at least one required):
///
/// | file | content |
/// | --- | --- |
/// | `mu.npy`, `logvar.npy` | float32/float64, shape (N, d) |
/// | `z.npy` | (N, d) — one sample — or (S, N, d) |
/// | `features.npy` | (N, H) pooled encoder features |
/// | `sentences.txt` | N lines, the evaluated sentences (whitespace tokens) |
/// | `reconstructions.txt` | one line per sentence: greedy decoding from z = μ |
/// | `generations.tsv` | `scheme<TAB>parameter<TAB>text`: scheme greedy / top-k / nucleus, parameter empty or `-` for greedy, k (integer ≥ 1) for top-k, p (0 < p ≤ 1) for nucleus; z_index counts rows per (scheme, parameter) |
/// | `scalars.csv` | `step,key,value` or `step,epoch,split,key,value` (optional header row; split defaults to train; `nan` = missing) |
/// | `config.json` | a JSON object, stored as the run's config |
///
/// Everything is read and checked before anything is written (shapes agree, floats finite, line counts
/// match); errors name the file and the line or shape. Nothing is stored if any check fails.
public enum RunImporter {
    public static let knownFiles = ["mu.npy", "logvar.npy", "z.npy", "features.npy", "sentences.txt",
                                    "reconstructions.txt", "generations.tsv", "scalars.csv", "config.json"]

    @discardableResult
    public static func importRun(from directory: String, name: String, into store: RunStore,
                                 split: String = "test") throws -> ImportSummary {
        try validateRunName(name)
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw RunStoreError.badFile(path: directory, location: "", detail: "no such directory")
        }
        func path(_ file: String) -> String? {
            let p = (directory as NSString).appendingPathComponent(file)
            return fm.fileExists(atPath: p) ? p : nil
        }
        guard knownFiles.contains(where: { path($0) != nil }) else {
            throw RunStoreError.badFile(path: directory, location: "",
                                        detail: "no importable files (expected any of \(knownFiles.joined(separator: ", ")))")
        }
        if (try? store.run(named: name)) != nil { throw RunStoreError.duplicateName(name: name, path: store.path) }

        var files: [String: String] = [:]
        // Arrays.
        func matrix(_ file: String) throws -> (path: String, shape: [Int], values: [Float])? {
            guard let p = path(file) else { return nil }
            let (shape, values) = try NumPy.read(path: p)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw RunStoreError.badFile(path: p, location: "shape (\(shape.map(String.init).joined(separator: ", "))), element \(bad) (flat index)",
                                            detail: "value is not finite")
            }
            return (p, shape, values)
        }
        func shapeError(_ p: String, _ shape: [Int], _ what: String) -> RunStoreError {
            .badFile(path: p, location: "shape (\(shape.map(String.init).joined(separator: ", ")))", detail: what)
        }
        let mu = try matrix("mu.npy"), logvar = try matrix("logvar.npy"), z = try matrix("z.npy")
        let features = try matrix("features.npy")
        var n: Int? = nil, d: Int? = nil
        var nSource = ""
        func agree(_ m: (path: String, shape: [Int], values: [Float]), rows: Int, dim: Int?) throws {
            if let n0 = n, n0 != rows {
                throw shapeError(m.path, m.shape, "has \(rows) sentences but \(nSource) has \(n0)")
            }
            if n == nil { n = rows; nSource = (m.path as NSString).lastPathComponent }
            if let dim {
                if let d0 = d, d0 != dim { throw shapeError(m.path, m.shape, "latent size \(dim) differs from \(d0)") }
                d = dim
            }
        }
        for m in [mu, logvar].compactMap({ $0 }) {
            guard m.shape.count == 2 else { throw shapeError(m.path, m.shape, "expected 2 dimensions (N, d)") }
            try agree(m, rows: m.shape[0], dim: m.shape[1])
        }
        var samples = 0
        if let z {
            switch z.shape.count {
            case 2: samples = 1; try agree(z, rows: z.shape[0], dim: z.shape[1])
            case 3: samples = z.shape[0]; try agree(z, rows: z.shape[1], dim: z.shape[2])
            default: throw shapeError(z.path, z.shape, "expected (N, d) or (S, N, d)")
            }
        }
        if let f = features {
            guard f.shape.count == 2 else { throw shapeError(f.path, f.shape, "expected 2 dimensions (N, H)") }
            try agree(f, rows: f.shape[0], dim: nil)
        }
        // Texts.
        let sentences = try path("sentences.txt").map { try lines(of: $0) }
        if let s = sentences, let p = path("sentences.txt") {
            if let n0 = n, n0 != s.count {
                throw RunStoreError.badFile(path: p, location: "", detail: "has \(s.count) lines but \(nSource) has \(n0) rows")
            }
            if n == nil { n = s.count; nSource = "sentences.txt" }
        }
        let reconstructions = try path("reconstructions.txt").map { try lines(of: $0) }
        if let r = reconstructions, let p = path("reconstructions.txt"), let n0 = n, r.count != n0 {
            throw RunStoreError.badFile(path: p, location: "", detail: "has \(r.count) lines but \(nSource) has \(n0)")
        }
        let generations = try path("generations.tsv").map { try readGenerations($0) } ?? []
        let scalars = try path("scalars.csv").map { try readScalars($0) } ?? []
        var config = "{}"
        if let p = path("config.json") {
            guard let data = fm.contents(atPath: p), let text = String(data: data, encoding: .utf8) else {
                throw RunStoreError.badFile(path: p, location: "", detail: "cannot read as UTF-8 text")
            }
            do { try validateJSONObject(text, what: "config") } catch {
                throw RunStoreError.badFile(path: p, location: "", detail: "is not a JSON object")
            }
            config = text.trimmingCharacters(in: .whitespacesAndNewlines)
            files["config.json"] = "config"
        }

        // Assemble.
        let count = n ?? 0, dim = d ?? 0
        var latents: LatentSet? = nil
        if mu != nil || logvar != nil || z != nil || features != nil {
            latents = LatentSet(count: count, latentSize: dim, samples: samples, featureSize: features?.shape[1] ?? 0,
                                mu: mu?.values ?? [], logVariance: logvar?.values ?? [], z: z?.values ?? [],
                                features: features?.values ?? [])
        }
        for (file, m) in [("mu.npy", mu), ("logvar.npy", logvar), ("z.npy", z), ("features.npy", features)] {
            if let m { files[file] = m.shape.map(String.init).joined(separator: "×") }
        }
        if let s = sentences { files["sentences.txt"] = "\(s.count) sentences" }
        if let r = reconstructions { files["reconstructions.txt"] = "\(r.count) reconstructions" }
        if path("generations.tsv") != nil { files["generations.tsv"] = "\(generations.count) generations" }
        if path("scalars.csv") != nil { files["scalars.csv"] = "\(scalars.count) scalar points" }

        // Write; on any failure remove the partial run.
        let run = try store.createRun(Run(name: name, status: .completed, finishedAt: Date(), config: config,
                                          toolVersion: "import (\(VAEScopeVersion.current))"))
        do {
            try store.appendScalars(scalars, to: run.id)
            if let s = sentences {
                try store.writeSentences(s.enumerated().map {
                    EvaluatedSentence(index: $0.offset, text: $0.element, tokenCount: $0.element.split(separator: " ").count)
                }, split: split, of: run.id)
            }
            if let latents { try store.writeLatents(latents, split: split, of: run.id) }
            var texts: [DecodedText] = reconstructions.map { r in
                r.enumerated().map { DecodedText(kind: .reconstructionMean, decoding: .greedy, zIndex: $0.offset,
                                                 sourceIndex: $0.offset, text: $0.element) }
            } ?? []
            texts += generations
            try store.appendDecodedTexts(texts, split: split, to: run.id)
        } catch {
            _ = try? store.deleteRun(named: name)
            throw error
        }
        return ImportSummary(run: run, split: split, files: files)
    }

    /// Lines of a UTF-8 text file; a final newline does not make an extra empty line. Whitespace runs are
    /// collapsed to single spaces (tokens are whitespace-separated).
    static func lines(of path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RunStoreError.badFile(path: path, location: "", detail: "cannot read as UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func readGenerations(_ path: String) throws -> [DecodedText] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RunStoreError.badFile(path: path, location: "", detail: "cannot read as UTF-8 text")
        }
        var out: [DecodedText] = []
        var counters: [DecodingLabel: Int] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            func bad(_ detail: String) -> RunStoreError { .badFile(path: path, location: "line \(i + 1)", detail: detail) }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else { throw bad("expected 3 tab-separated columns scheme, parameter, text; found \(fields.count)") }
            let scheme = String(fields[0]), parameter = String(fields[1]).trimmingCharacters(in: .whitespaces)
            let label: DecodingLabel
            switch scheme {
            case "greedy":
                guard parameter.isEmpty || parameter == "-" else { throw bad("greedy takes no parameter, found '\(parameter)'") }
                label = .greedy
            case "top-k":
                guard let k = Int(parameter), k >= 1 else { throw bad("top-k needs an integer k >= 1, found '\(parameter)'") }
                label = .topK(k)
            case "nucleus":
                guard let p = Double(parameter), p > 0, p <= 1 else { throw bad("nucleus needs 0 < p <= 1, found '\(parameter)'") }
                label = .nucleus(p)
            default:
                throw bad("unknown scheme '\(scheme)' (greedy, top-k, nucleus)")
            }
            let z = counters[label, default: 0]
            counters[label] = z + 1
            let words = fields[2].split(whereSeparator: { $0 == " " || $0 == "\r" }).joined(separator: " ")
            out.append(DecodedText(kind: .priorSample, decoding: label, zIndex: z, text: words))
        }
        return out
    }

    static func readScalars(_ path: String) throws -> [ScalarPoint] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RunStoreError.badFile(path: path, location: "", detail: "cannot read as UTF-8 text")
        }
        var out: [ScalarPoint] = []
        var columns: Int? = nil
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.isEmpty { continue }
            func bad(_ detail: String) -> RunStoreError { .badFile(path: path, location: "line \(i + 1)", detail: detail) }
            let f = splitCSV(line)
            if i == 0, f.first?.lowercased() == "step" {
                guard f.map({ $0.lowercased() }) == ["step", "key", "value"]
                        || f.map({ $0.lowercased() }) == ["step", "epoch", "split", "key", "value"] else {
                    throw bad("header must be step,key,value or step,epoch,split,key,value")
                }
                columns = f.count
                continue
            }
            guard f.count == 3 || f.count == 5 else {
                throw bad("expected 3 (step,key,value) or 5 (step,epoch,split,key,value) comma-separated columns, found \(f.count)")
            }
            if columns == nil { columns = f.count }
            guard f.count == columns else {
                throw bad("expected \(columns ?? 3) comma-separated columns like the lines before, found \(f.count)")
            }
            guard let step = Int(f[0]) else { throw bad("step '\(f[0])' is not an integer") }
            let key = f.count == 3 ? f[1] : f[3], valueText = f.count == 3 ? f[2] : f[4]
            guard !key.isEmpty else { throw bad("empty key") }
            // `nan` (any case) is a missing or diverged value, stored as NULL like the trainer's own NaN scalars
            // (and what `vaescope export` writes for them); infinities are refused.
            let value: Double
            if valueText.lowercased() == "nan" {
                value = .nan
            } else {
                guard let v = Double(valueText), v.isFinite else {
                    throw bad("value '\(valueText)' is not a finite number (write nan for a missing or diverged value)")
                }
                value = v
            }
            var epoch: Int? = nil, split = "train"
            if f.count == 5 {
                if !f[1].isEmpty { guard let e = Int(f[1]) else { throw bad("epoch '\(f[1])' is not an integer") }; epoch = e }
                if !f[2].isEmpty { split = f[2] }
            }
            out.append(ScalarPoint(step: step, epoch: epoch, split: split, key: key, value: value))
        }
        return out
    }

    /// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty { quoted = true
            } else if c == "," { fields.append(field); field = ""
            } else { field.append(c) }
        }
        fields.append(field)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
