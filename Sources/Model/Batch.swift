import Tensor

/// A batch of sentences laid out for the model, time-major (row t·B + b).
/// Encoder input: <bos> w_1 … w_L <eos> when `boundaries` (He et al. 2019's code), else the words alone (an
/// empty sentence is then encoded as the single token <eos>, so every encoder length is ≥ 1). Decoder input: <bos> w_1 … w_L; targets: w_1 … w_L <eos>; padding id 0 beyond.
struct PreparedBatch {
    var batch = 0
    var encoderSteps = 0
    var encoderLengths: [Int32] = []   // (B)
    var encoderIds: [Int32] = []       // (Tenc, B)
    var decoderSteps = 0
    var decoderLengths: [Int32] = []   // (B) = L_b + 1
    var decoderInputs: [Int32] = []    // (Tdec, B)
    var targets: [Int32] = []          // (Tdec, B)
    /// Rows t·B + b of the real target positions (t < L_b + 1), in row order; N = positions.count.
    var positions: [Int32] = []        // (N)
    var compactTargets: [Int32] = []   // (N)
    var positionSentence: [Int32] = [] // (N) the sentence b of each position

    init() {}

    /// Lays out `sentences`; every id must be in 0..<vocabularySize (a programmer error otherwise: the
    /// Corpus module maps unknown words to <unk>).
    mutating func prepare(_ sentences: [[Int32]], encoder: Bool, boundaries: Bool = false, vocabularySize: Int) {
        for s in sentences {
            for w in s { precondition(w >= 0 && Int(w) < vocabularySize, "SequenceVAE: word id \(w) outside the vocabulary 0..<\(vocabularySize)") }
        }
        let B = sentences.count
        batch = B
        encoderLengths = sentences.map { Int32(boundaries ? $0.count + 2 : max($0.count, 1)) }
        decoderLengths = sentences.map { Int32($0.count + 1) }
        encoderSteps = encoder ? Int(encoderLengths.max() ?? 0) : 0
        decoderSteps = Int(decoderLengths.max() ?? 0)
        if encoder {
            encoderIds = [Int32](repeating: SpecialToken.pad, count: encoderSteps * B)
            let offset = boundaries ? 1 : 0
            for (b, s) in sentences.enumerated() {
                if boundaries {
                    encoderIds[b] = SpecialToken.bos
                    encoderIds[(s.count + 1) * B + b] = SpecialToken.eos
                } else if s.isEmpty {
                    encoderIds[b] = SpecialToken.eos
                }
                for (t, w) in s.enumerated() { encoderIds[(t + offset) * B + b] = w }
            }
        }
        let T = decoderSteps
        decoderInputs = [Int32](repeating: SpecialToken.pad, count: T * B)
        targets = [Int32](repeating: SpecialToken.pad, count: T * B)
        for (b, s) in sentences.enumerated() {
            decoderInputs[b] = SpecialToken.bos
            for (t, w) in s.enumerated() {
                decoderInputs[(t + 1) * B + b] = w
                targets[t * B + b] = w
            }
            targets[s.count * B + b] = SpecialToken.eos
        }
        positions.removeAll(keepingCapacity: true)
        compactTargets.removeAll(keepingCapacity: true)
        positionSentence.removeAll(keepingCapacity: true)
        for t in 0..<T {
            for b in 0..<B where t < Int(decoderLengths[b]) {
                positions.append(Int32(t * B + b))
                compactTargets.append(targets[t * B + b])
                positionSentence.append(Int32(b))
            }
        }
    }

    /// Replaces each decoder input word (not <bos>, not padding) by <unk> with probability p (Bowman et al.
    /// 2016 §3.2), drawing one uniform per word in (b, t) order.
    mutating func applyWordDropout(_ p: Double, rng: inout SplitMix64) {
        guard p > 0 else { return }
        let B = batch
        for b in 0..<B {
            for t in 1..<max(Int(decoderLengths[b]), 1) where rng.nextUniform() < p {
                decoderInputs[t * B + b] = SpecialToken.unk
            }
        }
    }

    var tokenCount: Int { positions.count }
}
