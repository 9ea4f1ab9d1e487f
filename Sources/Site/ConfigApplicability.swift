/// Which configuration keys mean something for a run: a setting its objective, schedule or optimiser does not use
/// (C of an ELBO run, the cycles of a linear schedule, the momentum of Adam) is shown as "—" and does not split
/// groups, so that an unused default never reads as a choice (issue 15).
enum ConfigApplicability {
    /// Whether `key` applies under `value(of:)`, the run's configuration. Keys without a rule always apply.
    static func applies(_ dottedKey: String, _ value: (String) -> ConfigValue?) -> Bool {
        let key = dottedKey.split(separator: ".").last.map(String.init) ?? dottedKey   // "objective.klTarget" → "klTarget"
        func text(_ k: String) -> String? { value(k).map(\.description) }
        func number(_ k: String) -> Double { value(k)?.number ?? 0 }
        func flag(_ k: String) -> Bool { value(k) == .bool(true) }
        let objective = text("objective"), schedule = text("betaSchedule")
        // A language model has no encoder and no latent code: their settings (and the objective's) mean nothing.
        if flag("languageModelOnly"), languageModelIgnores.contains(key) { return false }
        switch key {
        case "klTarget", "klTargetWarmupSteps": return objective == "klTarget"
        case "cycles", "cycleRampFraction": return schedule == "cyclical"
        case "beta0": return schedule == "linear"
        case "annealSteps": return (schedule == "linear" || schedule == "cyclical") && number("annealEpochs") == 0
        case "annealEpochs": return (schedule == "linear" || schedule == "cyclical") && number("annealEpochs") > 0
        case "beta": return schedule == "constant" || objective == "klTarget"
        case "freeBitsMode": return number("freeBits") > 0
        case "momentum": return text("optimizer") == "sgd"
        case "lrDecayFactor", "lrDecayMinEpoch", "maxLRDecays": return number("lrDecayPatience") > 0
        case "latentInitialState": return flag("latentInitializesDecoder") && text("decoderCell") != "cnn"
        case "latentInitializesDecoder": return text("decoderCell") != "cnn"
        // A filter width means something for the convolutional decoder only (absent in runs before it: "—").
        case "convolutionWidth": return text("decoderCell") == "cnn"
        default: return true
        }
    }

    /// The settings of the encoder, the latent code and the KL term, which a language-model-only run ignores.
    static let languageModelIgnores: Set<String> = [
        "encoderHiddenSize", "latentSize", "encoderCell", "pooling", "latentAtEveryStep", "latentInitializesDecoder",
        "latentInitialState", "latentHeadBias", "latentToOutput", "encoderReadsBoundaries", "aggressive",
        "objective", "beta", "betaSchedule", "beta0", "annealSteps", "annealEpochs", "cycles", "cycleRampFraction",
        "klTarget", "klTargetWarmupSteps", "freeBits", "freeBitsMode", "cosineRegularizer",
    ]
}

extension LoadedRun {
    /// The run's value of `key`, or "—" when the key does not apply to it (or is absent).
    func appliedConfigValue(_ key: String) -> ConfigValue {
        guard ConfigApplicability.applies(key, { self.configValue($0) }) else { return .text("—") }
        return configValue(key) ?? .text("—")
    }
}
