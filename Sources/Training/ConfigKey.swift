import Foundation
import Model

/// The type of a configuration value, as shown in errors and in `--help-config`.
public enum ConfigValueType: Equatable, Sendable, CustomStringConvertible {
    case integer, unsigned, number, boolean
    case choice([String])

    public var description: String {
        switch self {
        case .integer: return "an integer"
        case .unsigned: return "a non-negative integer"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .choice(let names): return "one of " + names.joined(separator: "|")
        }
    }
}

/// One overridable key of `TrainConfig`: its name (the field's), type, one-line doc, and how to read and
/// write it as text. `ConfigKey.all` powers `--set`, YAML files and `vaescope train --help-config`.
public struct ConfigKey: Sendable {
    public let name: String
    public let type: ConfigValueType
    public let doc: String
    let get: @Sendable (TrainConfig) -> String
    let set: @Sendable (inout TrainConfig, String) -> Bool   // false: the text is not of `type`

    /// The default value, as text.
    public var defaultValue: String { self.get(TrainConfig()) }

    /// Sets the key from text; throws `wrongType` naming the key and the expected type.
    public func apply(_ text: String, to config: inout TrainConfig) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard set(&config, trimmed) else {
            throw TrainingError.wrongType(key: name, value: text, expected: type.description)
        }
    }

    public func value(in config: TrainConfig) -> String { self.get(config) }

    // MARK: Builders

    static func int(_ name: String, _ kp: WritableKeyPath<TrainConfig, Int> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .integer, doc: doc, get: { String($0[keyPath: kp]) }, set: { c, s in
            guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    static func uint(_ name: String, _ kp: WritableKeyPath<TrainConfig, UInt64> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .unsigned, doc: doc, get: { String($0[keyPath: kp]) }, set: { c, s in
            guard let v = UInt64(s.replacingOccurrences(of: "_", with: "")) else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    static func double(_ name: String, _ kp: WritableKeyPath<TrainConfig, Double> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .number, doc: doc, get: { format($0[keyPath: kp]) }, set: { c, s in
            guard let v = Double(s.replacingOccurrences(of: "_", with: "")), v.isFinite else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    static func bool(_ name: String, _ kp: WritableKeyPath<TrainConfig, Bool> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .boolean, doc: doc, get: { String($0[keyPath: kp]) }, set: { c, s in
            switch s.lowercased() {
            case "true", "yes", "on", "1": c[keyPath: kp] = true
            case "false", "no", "off", "0": c[keyPath: kp] = false
            default: return false
            }
            return true
        })
    }

    static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ kp: WritableKeyPath<TrainConfig, E> & Sendable, _ doc: String
    ) -> ConfigKey where E.RawValue == String {
        ConfigKey(name: name, type: .choice(E.allCases.map(\.rawValue)), doc: doc,
                  get: { $0[keyPath: kp].rawValue }, set: { c, s in
            // Exact match first, then case-insensitive ("absmax" → absMax).
            guard let v = E(rawValue: s) ?? E.allCases.first(where: { $0.rawValue.lowercased() == s.lowercased() })
            else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    /// Shortest text that reads back to the same Double ("0.001", "10000", "1e-05").
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}

extension ConfigKey {
    /// Every key, in the order of `TrainConfig`'s fields.
    public static var all: [ConfigKey] {
        [
            .int("embeddingSize", \.embeddingSize, "word embedding size (Prokhorov et al. 2019: 256)"),
            .int("encoderHiddenSize", \.encoderHiddenSize, "encoder hidden size (Bowman et al., Prokhorov et al.: 512)"),
            .int("decoderHiddenSize", \.decoderHiddenSize, "decoder hidden size (Prokhorov et al. 2019: 512)"),
            .int("latentSize", \.latentSize, "latent size Z (He et al. 2019, Long et al. 2019: 32)"),
            .choice("encoderCell", \.encoderCell, "encoder cell (LSTM in all three papers)"),
            .choice("decoderCell", \.decoderCell, "decoder cell (LSTM in all three papers)"),
            .choice("pooling", \.pooling, "encoder feature pooling (Long et al. 2019 §4.1; last = Bowman et al.)"),
            .bool("encoderReadsBoundaries", \.encoderReadsBoundaries, "encoder reads <bos> words <eos>; last = state after <eos> (He et al. 2019 code)"),
            .bool("latentAtEveryStep", \.latentAtEveryStep, "z concatenated to every decoder input (Prokhorov et al.)"),
            .bool("latentInitializesDecoder", \.latentInitializesDecoder, "z sets the decoder's initial state (Bowman et al.)"),
            .choice("latentInitialState", \.latentInitialState, "hidden: h0 = zW + b (Bowman et al.); cellTanh: c0 = zW, h0 = tanh(c0) (He et al. 2019)"),
            .bool("separateEmbeddings", \.separateEmbeddings, "encoder and decoder have their own embedding tables (He et al. 2019)"),
            .bool("latentHeadBias", \.latentHeadBias, "mu and log-variance heads have a bias (He et al. 2019: false)"),
            .bool("outputBias", \.outputBias, "the output softmax layer has a bias (He et al. 2019: false)"),
            .bool("latentToOutput", \.latentToOutput, "SkipVAE: z enters the output layer at every step (Dieng et al. 2019)"),
            .bool("languageModelOnly", \.languageModelOnly, "LSTM language model without z (Long et al. Table 1 baseline)"),
            .double("initScale", \.initScale, "uniform initialisation U(-a, a) of the weights (He et al. 2019: 0.01)"),
            .double("embeddingInitScale", \.embeddingInitScale, "uniform initialisation of embeddings, 0 = initScale (He et al. 2019: 0.1)"),
            .bool("initBiases", \.initBiases, "biases drawn from U(-initScale, initScale), not 0 (He et al. 2019: true)"),
            .choice("objective", \.objective, "elbo, or klTarget: rec + β|KL − C| (Prokhorov et al. 2019 §2)"),
            .double("beta", \.beta, "constant β; weight of |KL − C| for klTarget (Prokhorov et al.: 1)"),
            .choice("betaSchedule", \.betaSchedule, "β schedule: linear (Bowman et al.), cyclical (Fu et al. 2019)"),
            .double("beta0", \.beta0, "starting β of the annealing (He et al. 2019: 0.1)"),
            .int("annealSteps", \.annealSteps, "steps over which β rises to 1, or span of all cycles (VAEScope)"),
            .double("annealEpochs", \.annealEpochs, "β rises over this many epochs of train/batchSize steps, 0 = annealSteps (He et al. 2019: 10)"),
            .int("cycles", \.cycles, "cycles M of the cyclical schedule (Fu et al. 2019: 4)"),
            .double("cycleRampFraction", \.cycleRampFraction, "fraction R of a cycle over which β rises (Fu et al.: 0.5)"),
            .double("klTarget", \.klTarget, "target rate C in nats for klTarget (Prokhorov et al. use 3 … 100)"),
            .int("klTargetWarmupSteps", \.klTargetWarmupSteps, "steps over which C rises linearly from 0 (Burgess et al. 2018)"),
            .double("freeBits", \.freeBits, "free-bits threshold λ in nats, 0 = off (Kingma et al. 2016)"),
            .choice("freeBitsMode", \.freeBitsMode, "free bits per dimension (Kingma et al. 2016) or per sentence"),
            .double("wordDropout", \.wordDropout, "decoder input word dropout rate, 0 = off (Bowman et al. 2016)"),
            .double("decoderInputDropout", \.decoderInputDropout, "dropout on decoder input embeddings, 0 = off (He et al. 2019: 0.5)"),
            .double("decoderOutputDropout", \.decoderOutputDropout, "dropout on decoder states before the softmax, 0 = off (He et al. 2019: 0.5)"),
            .double("cosineRegularizer", \.cosineRegularizer, "weight of the features' pairwise cosine, 0 = off (Long et al. §4.2)"),
            .bool("aggressive", \.aggressive, "aggressive inference-network training (He et al. 2019 Algorithm 1; needs sgd)"),
            .uint("seed", \.seed, "seed of init, batch order, ε and dropout (same seed + threads = same run)"),
            .int("epochs", \.epochs, "passes over train (VAEScope: 30; He et al. 2019: up to 100, early stopping)"),
            .int("maxSteps", \.maxSteps, "stop after this many steps in total, 0 = no limit (VAEScope)"),
            .int("batchSize", \.batchSize, "sentences per batch (He et al. 2019: 32)"),
            .choice("batching", \.batching, "sorted (VAEScope) or equalLength: equal lengths, made once (He et al. 2019)"),
            .choice("optimizer", \.optimizer, "adam (Kingma & Ba 2015) or sgd (He et al. 2019)"),
            .double("learningRate", \.learningRate, "learning rate (Adam's customary 1e-3; He et al. SGD: 1.0)"),
            .double("momentum", \.momentum, "SGD momentum (He et al. 2019: 0)"),
            .double("gradientClip", \.gradientClip, "max global gradient L2 norm (He et al. 2019: 5)"),
            .int("lrDecayPatience", \.lrDecayPatience, "epochs without improvement before a decay + best reload, 0 = never (He et al.: 2)"),
            .double("lrDecayFactor", \.lrDecayFactor, "learning-rate factor of each decay (He et al. 2019: 0.5)"),
            .int("lrDecayMinEpoch", \.lrDecayMinEpoch, "no decay before this 0-based epoch (He et al. 2019: 15)"),
            .int("maxLRDecays", \.maxLRDecays, "stop after this many decays, 0 = never (He et al. 2019: 5)"),
            .int("logEvery", \.logEvery, "log training scalars (window means) every K steps (VAEScope)"),
            .int("validateEvery", \.validateEvery, "also validate + checkpoint every N steps, 0 = epoch ends only (VAEScope)"),
            .int("validationSentences", \.validationSentences, "validate on the first N valid sentences, 0 = all (VAEScope)"),
            .int("threads", \.threads, "OpenBLAS threads (VAEScope: 1)"),
            .bool("evaluateAtEnd", \.evaluateAtEnd, "run eval on the best checkpoint at the end (issue 4)"),
            .int("vocabularySize", \.vocabularySize, "max vocabulary incl. 4 specials (PTB of Mikolov et al.: 10k)"),
            .int("minCount", \.minCount, "min training count of a vocabulary word (PTB: 1)"),
            .int("maxLength", \.maxLength, "max sentence length in tokens (VAEScope: 100 > PTB's longest, 82)"),
            .bool("skipLongLines", \.skipLongLines, "skip longer lines instead of failing (VAEScope: fail)"),
            .choice("evalSplit", \.evalSplit, "split evaluated at the end (He et al. 2019: test)"),
            .int("iwSamples", \.iwSamples, "importance samples K of the IW-NLL (He et al. 2019: 500)"),
            .int("latentSamples", \.latentSamples, "z samples stored per sentence (Prokhorov et al. 2019: 5)"),
            .int("priorSamples", \.priorSamples, "prior samples decoded per scheme (VAEScope)"),
        ]
    }

    /// The key named `name`, or an `unknownKey` error suggesting the nearest name.
    public static func named(_ name: String) throws -> ConfigKey {
        let keys = all
        if let key = keys.first(where: { $0.name == name }) { return key }
        if let key = keys.first(where: { $0.name.lowercased() == name.lowercased() }) { return key }
        let nearest = keys.min { editDistance($0.name.lowercased(), name.lowercased())
                               < editDistance($1.name.lowercased(), name.lowercased()) }
        throw TrainingError.unknownKey(key: name, suggestion: nearest?.name)
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The `--help-config` text: every key with its type, default and doc.
    public static var helpText: String {
        let keys = all
        let width = keys.map(\.name.count).max() ?? 0
        var lines = ["Configuration keys (set with --config FILE.yaml and --set key=value; later wins):", ""]
        for key in keys {
            let padded = key.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(padded)  = \(key.defaultValue)  (\(key.type))")
            lines.append("  \(String(repeating: " ", count: width))    \(key.doc)")
        }
        return lines.joined(separator: "\n")
    }
}
