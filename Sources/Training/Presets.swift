/// Named sets of configuration values that reproduce a paper's training recipe (`vaescope train --preset NAME`).
/// A preset is applied after the defaults and before `--config` and `--set`, so any of its values can still be
/// changed; every value is an ordinary configuration key (`--help-config`).
public struct ConfigPreset: Sendable {
    public let name: String
    public let summary: String
    /// `key=value` pairs, applied in order.
    public let values: [String]

    /// He et al. 2019's recipe, point by point as their code has it (jxhe/vae-lagging-encoder: `text.py`,
    /// `config/config_yahoo.py`, `modules/encoders/enc_lstm.py`, `modules/decoders/dec_lstm.py`). Model sizes are
    /// not part of it (theirs for Yahoo: E 512, H 1024, Z 32): set them. What still differs from their code is
    /// listed in docs/training.md.
    public static let he2019 = ConfigPreset(name: "he2019", summary: "He et al. 2019's training recipe (lagging encoder)", values: [
        // enc_lstm.py / dec_lstm.py: nn.Embedding in each module.
        "separateEmbeddings=true",
        // text.py: model_init = uniform_initializer(0.01) on every parameter, emb_init = uniform_initializer(0.1).
        "initScale=0.01", "embeddingInitScale=0.1", "initBiases=true",
        // enc_lstm.py: self.linear = nn.Linear(enc_nh, 2 * nz, bias=False) on the state after </s>.
        "latentHeadBias=false", "encoderReadsBoundaries=true",
        // dec_lstm.py: c_init = trans_linear(z) (bias=False), h_init = tanh(c_init), z concatenated at every step,
        // pred_linear without bias, dropout_in / dropout_out 0.5.
        "latentInitializesDecoder=true", "latentInitialState=cellTanh", "latentAtEveryStep=true", "outputBias=false",
        "decoderInputDropout=0.5", "decoderOutputDropout=0.5",
        // text.py: optim.SGD(lr=1.0, momentum=0), clip_grad_norm_(…, 5.0), batch_size 32.
        "optimizer=sgd", "learningRate=1", "momentum=0", "gradientClip=5", "batchSize=32",
        // README: --kl_start 0.1 --warm_up 10: β from 0.1 linearly to 1 over 10 epochs of len(train)/batch_size steps.
        "objective=elbo", "betaSchedule=linear", "beta0=0.1", "annealEpochs=10",
        // text.py: decay_epoch 2, lr_decay 0.5, epoch >= 15, max_decay 5 (early stopping), epochs 100.
        "lrDecayPatience=2", "lrDecayFactor=0.5", "lrDecayMinEpoch=15", "maxLRDecays=5", "epochs=100",
        // text_data.py: create_data_batch (equal lengths, made once; batch order permuted each epoch).
        "batching=equalLength",
        // text.py: validation on the whole split each epoch; IW-NLL with iw_nsamples 500.
        "validateEvery=0", "validationSentences=0", "iwSamples=500",
    ])

    public static let all: [ConfigPreset] = [he2019]

    /// The preset named `name`; throws naming the known ones.
    public static func named(_ name: String) throws -> ConfigPreset {
        guard let preset = all.first(where: { $0.name == name }) else {
            throw TrainingError.unknownPreset(name: name, known: all.map(\.name))
        }
        return preset
    }
}

extension TrainConfig {
    /// Defaults, then the preset if any, then the YAML file if any, then the `--set` overrides; validated.
    public static func resolve(preset: String?, yamlFile: String? = nil, overrides: [String] = []) throws -> TrainConfig {
        var config = TrainConfig()
        if let preset { try config.apply(overrides: try ConfigPreset.named(preset).values) }
        if let yamlFile { try config.apply(yamlFile: yamlFile) }
        try config.apply(overrides: overrides)
        try config.validate()
        return config
    }
}
