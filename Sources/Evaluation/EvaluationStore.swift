import Training
import Foundation
import Corpus
import Model
import RunStore

/// Writes an `EvaluationResult` into the run store, replacing an earlier evaluation of the same split:
/// the split's sentences, the latent set (μ, log σ², z as (S, N, Z), h), the decoded texts, the `eval.*` scalars
/// (at the checkpoint's step, so `vaescope runs show` summarises them) and the result rows (each with its
/// parameters, e.g. {"K":500}). Each store call is one transaction.
public enum EvaluationStore {
    /// The prefix of every scalar key evaluation writes.
    public static let scalarPrefix = "eval."

    public static func write(_ result: EvaluationResult, sentences: [[Int32]], vocabulary: Vocabulary,
                             run: UUID, store: RunStore, checkpointTag: String = "best") throws {
        let split = result.options.split.rawValue
        // One transaction: a kill during the writes leaves the previous evaluation (or none), never half of one.
        try store.transaction {
            try store.writeSentences(sentences.enumerated().map {
                EvaluatedSentence(index: $0, text: vocabulary.sentence($1), tokenCount: $1.count)
            }, split: split, of: run)
            if let latents = result.latents { try store.writeLatents(latentSet(latents), split: split, of: run) }
            try store.deleteDecodedTexts(split: split, of: run)
            try store.appendDecodedTexts(result.decoded.map { record in
                DecodedText(kind: record.kind, decoding: DecodingLabel(scheme: record.scheme.name, parameter: record.scheme.parameter),
                            zIndex: record.zIndex, pairIndex: record.pairIndex, pointIndex: record.pointIndex,
                            sourceIndex: record.sourceIndex, text: vocabulary.sentence(record.ids))
            }, split: split, to: run)
            try store.deleteScalars(of: run, split: split, keyPrefix: scalarPrefix)
            // Which checkpoint the values come from (its step is every eval scalar's step): 1 = "last", 0 = "best".
            try store.appendScalars(scalars(result.summary) + [ScalarPoint(step: result.summary.step, split: split,
                key: scalarPrefix + "checkpointIsLast", value: checkpointTag == "last" ? 1 : 0)], to: run)
            try store.putResults(results(result.summary), of: run)
        }
    }

    /// z reordered from (N, S, Z) to the store's (S, N, Z).
    static func latentSet(_ l: LatentRecords) -> LatentSet {
        var z = [Float](repeating: 0, count: l.samples.count)
        let size = l.latentSize, s = l.samplesPerSentence
        for i in 0..<l.count {
            for k in 0..<s {
                for d in 0..<size { z[(k * l.count + i) * size + d] = l.samples[(i * s + k) * size + d] }
            }
        }
        return LatentSet(count: l.count, latentSize: size, samples: s, featureSize: l.featureSize,
                         mu: l.mu, logVariance: l.logVariance, z: z, features: l.features)
    }

    /// The `eval.*` scalars (keys listed in /coord/EVAL_API.md).
    static func scalars(_ s: EvaluationSummary) -> [ScalarPoint] {
        var values: [(String, Double?)] = [
            ("iwNLL", s.iwNLL), ("iwPerplexity", s.iwPerplexity), ("iwSamples", Double(s.importanceSamples)),
            ("elbo", s.elbo), ("rate", s.rate), ("distortion", s.distortion), ("tokens", Double(s.tokens)),
            ("sentences", Double(s.sentences)), ("mi.minibatch", s.mutualInformationMinibatch),
            ("mi.mixture", s.mutualInformationMixture), ("activeUnits", s.activeUnits.map(Double.init)),
            ("seconds", s.seconds),
        ]
        for p in s.probe {
            values += [("probe.\(p.category).p1", p.p1), ("probe.\(p.category).p2", p.p2),
                       ("probe.\(p.category).p1bar", p.p1Bar), ("probe.\(p.category).p2bar", p.p2Bar),
                       ("probe.\(p.category).pairs", Double(p.pairs)),
                       ("probe.\(p.category).identical", Double(p.identicalPairs))]
        }
        for f in s.forwardCrossEntropy {
            let k = "fce.\(f.scheme)."
            values += [(k + "nll", f.nll), (k + "perplexity", f.perplexity),
                       (k + "vocabularySize", Double(f.vocabularySize)), (k + "unkPercent", f.unknownPercent),
                       (k + "meanLength", f.meanLength), (k + "selfBLEU", f.selfBLEU), (k + "sentences", Double(f.sentences)),
                       (k + "nllSD", f.nllSD), (k + "corpora", Double(f.corpora))]
        }
        return values.compactMap { key, value in
            value.map { ScalarPoint(step: s.step, epoch: nil, split: s.split.rawValue, key: scalarPrefix + key, value: $0) }
        }
    }

    /// `{"K":500,"N":3761,"scheme":"greedy"}`: keys in byte order (the store compares parameters as text, so the
    /// order must not depend on the platform's JSON writer); values are integers or strings.
    static func json(_ object: [String: Any]) -> String {
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let fields = object.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { key in
            let value = object[key]
            let text: String
            switch value {
            case let v as Int: text = String(v)
            case let v as Double: text = v.isFinite ? String(v) : "null"
            case let v as String: text = quoted(v)
            default: text = "null"
            }
            return quoted(key) + ":" + text
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The result rows: named measurements with their variant and parameters (K, batch size, N, category, scheme).
    /// The checkpoint step is not a parameter, so evaluating again replaces the rows; the scalars keep the step.
    static func results(_ s: EvaluationSummary) -> [ResultRow] {
        let split = s.split.rawValue
        let k = json(["K": s.importanceSamples, "N": s.sentences])
        let likelihoodVariant = s.importanceSamples == 0 ? "exact (no latent)" : "burda2016-importance-weighted"
        var rows = [
            ResultRow(split: split, name: "iw-nll", variant: likelihoodVariant, parameters: k, value: s.iwNLL),
            ResultRow(split: split, name: "iw-perplexity", variant: likelihoodVariant, parameters: k, value: s.iwPerplexity),
            ResultRow(split: split, name: "elbo", variant: "", parameters: k, value: s.elbo),
            ResultRow(split: split, name: "rate", variant: "closed-form KL", parameters: k, value: s.rate),
            ResultRow(split: split, name: "distortion", variant: "mean over K samples", parameters: k, value: s.distortion),
        ]
        if let mi = s.mutualInformationMinibatch {
            rows.append(ResultRow(split: split, name: "mi", variant: "he2019-minibatch",
                                  parameters: json(["N": s.sentences, "batchSize": s.mutualInformationBatchSize]), value: mi))
        }
        if let mi = s.mutualInformationMixture {
            rows.append(ResultRow(split: split, name: "mi", variant: "full-split-mixture",
                                  parameters: json(["N": s.sentences]), value: mi))
        }
        if let au = s.activeUnits {
            rows.append(ResultRow(split: split, name: "active-units", variant: "burda2016-threshold-0.01",
                                  parameters: json(["N": s.sentences]), value: Double(au)))
        }
        for p in s.probe {
            let parameters = json(["category": p.category, "pairs": p.pairs, "identicalPairs": p.identicalPairs])
            for (name, value) in [("probe-p1", p.p1), ("probe-p2", p.p2), ("probe-p1bar", p.p1Bar), ("probe-p2bar", p.p2Bar)] {
                rows.append(ResultRow(split: split, name: name, variant: "prokhorov2019", parameters: parameters, value: value))
            }
        }
        for f in s.forwardCrossEntropy {
            let parameters = json(["N": f.sentences, "scheme": f.scheme, "corpora": f.corpora])
            var named: [(String, Double)] = [
                ("fce-nll", f.nll), ("fce-nll-sd", f.nllSD), ("fce-perplexity", f.perplexity), ("fce-vocabulary-size", Double(f.vocabularySize)),
                ("fce-unk-percent", f.unknownPercent), ("fce-mean-length", f.meanLength),
            ]
            if let b = f.selfBLEU { named.append(("fce-self-bleu4", b)) }
            for (name, value) in named {
                rows.append(ResultRow(split: split, name: name, variant: "prokhorov2019", parameters: parameters, value: value))
            }
        }
        return rows
    }
}
