import Foundation

/// Writes a run as plain files, the same layout `RunImporter` reads:
/// `scalars.csv` (step,epoch,split,key,value — epoch empty when absent, NaN as `nan`), `config.json`, and for
/// one split: `mu.npy`, `logvar.npy` (N×d), `z.npy` (S×N×d), `features.npy` (N×H), `sentences.txt`,
/// `reconstructions.txt` (greedy from μ, by source index) and `generations.tsv` (prior samples:
/// scheme<TAB>parameter<TAB>text). Files whose data the run does not hold are not written.
public enum RunExporter {
    /// Exports `run` from `store` into `directory` (created if missing). `split` defaults to "test" if the run
    /// has latents or sentences there, else the first split that has latents.
    /// Returns the paths written. Throws `.cannotWrite` naming the directory before writing anything if it
    /// cannot be created or written.
    @discardableResult
    public static func export(_ run: Run, from store: RunStore, to directory: String, split: String? = nil) throws -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDir) {
            guard isDir.boolValue else { throw RunStoreError.cannotWrite(path: directory, reason: "exists and is not a directory") }
        } else {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw RunStoreError.cannotWrite(path: directory, reason: "cannot create directory")
            }
        }
        guard fm.isWritableFile(atPath: directory) else {
            throw RunStoreError.cannotWrite(path: directory, reason: "directory is not writable")
        }
        // Read everything first, so a read error writes nothing.
        let contents = try store.contents(of: run.id)
        let splits = Set(contents.latents.keys).union(contents.sentences.keys)
        let chosen = split ?? (splits.contains("test") ? "test" : splits.sorted().first)
        let scalars = try store.scalars(of: run.id)
        let latents = try chosen.map { try store.latents(split: $0, of: run.id) } ?? nil
        let sentences = try chosen.map { try store.sentences(split: $0, of: run.id) } ?? []
        let recon = try chosen.map {
            try store.decodedTexts(of: run.id, split: $0, kind: .reconstructionMean)
                .filter { $0.decoding == .greedy && $0.sourceIndex != nil }
                .sorted { ($0.sourceIndex ?? 0) < ($1.sourceIndex ?? 0) }
        } ?? []
        let generations = try chosen.map { try store.decodedTexts(of: run.id, split: $0, kind: .priorSample) } ?? []

        var written: [String] = []
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        func writeText(_ text: String, _ name: String) throws {
            let p = path(name)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: p), options: .atomic) } catch {
                throw RunStoreError.cannotWrite(path: p, reason: error.localizedDescription)
            }
            written.append(p)
        }
        func number(_ v: Double) -> String { v.isNaN ? "nan" : "\(v)" }

        var csv = "step,epoch,split,key,value\n"
        for p in scalars {
            csv += "\(p.step),\(p.epoch.map(String.init) ?? ""),\(csvField(p.split)),\(csvField(p.key)),\(number(p.value))\n"
        }
        try writeText(csv, "scalars.csv")
        try writeText(run.config + "\n", "config.json")
        if let l = latents {
            if !l.mu.isEmpty { try NumPy.write(l.mu, shape: [l.count, l.latentSize], to: path("mu.npy")); written.append(path("mu.npy")) }
            if !l.logVariance.isEmpty {
                try NumPy.write(l.logVariance, shape: [l.count, l.latentSize], to: path("logvar.npy")); written.append(path("logvar.npy"))
            }
            if !l.z.isEmpty {
                try NumPy.write(l.z, shape: [l.samples, l.count, l.latentSize], to: path("z.npy")); written.append(path("z.npy"))
            }
            if !l.features.isEmpty {
                try NumPy.write(l.features, shape: [l.count, l.featureSize], to: path("features.npy")); written.append(path("features.npy"))
            }
        }
        if !sentences.isEmpty { try writeText(sentences.map { $0.text + "\n" }.joined(), "sentences.txt") }
        if !recon.isEmpty { try writeText(recon.map { $0.text + "\n" }.joined(), "reconstructions.txt") }
        if !generations.isEmpty {
            let lines = generations.map { g in
                "\(g.decoding.scheme)\t\(g.decoding.parameter.map(formatParameter) ?? "")\t\(g.text)\n"
            }
            try writeText(lines.joined(), "generations.tsv")
        }
        return written
    }

    /// k as an integer ("5"), p as a decimal ("0.9").
    static func formatParameter(_ p: Double) -> String {
        p == p.rounded() && abs(p) < 1e15 ? String(Int(p)) : String(p)
    }
}

/// Quotes a CSV field when it holds a comma, quote or newline (RFC 4180).
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}
