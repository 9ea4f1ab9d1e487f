/// The variant labels of every metric VAEScope reports (ids are stable: they key caches and JSON).
extension Variant {
    public static func bleuCorpusUnsmoothed(_ n: Int) -> Variant {
        Variant(id: "bleu\(n).corpus.unsmoothed",
                label: "BLEU-\(n) corpus, unsmoothed, NLTK denominators",
                source: "Papineni et al. 2002; 0 if any precision is 0; = nltk 3.10 corpus_bleu when all are > 0")
    }
    public static func bleuCorpusProkhorov(_ n: Int) -> Variant {
        Variant(id: "bleu\(n).corpus.prokhorov-nmt",
                label: "BLEU-\(n) corpus as Prokhorov et al. 2019 (tensorflow/nmt compute_bleu, smooth=False)",
                source: "KL_Text_VAE experiment_table_1.py: tokens line.strip().split(' '), one reference, nmt bleu.py")
    }
    public static func rougeNProkhorov(_ n: Int) -> Variant {
        Variant(id: "rouge\(n).prokhorov", label: "ROUGE-\(n) F1 as Prokhorov et al. 2019 (their rouge.py), sentence mean",
                source: "KL_Text_VAE rouge.py rouge_n: n-gram sets of strip().split(' ') tokens, F = 2PR/(P+R+1e-8)")
    }
    public static func bleuCorpusSacreBLEU(_ n: Int) -> Variant {
        Variant(id: "bleu\(n).corpus.sacrebleu-exp",
                label: "BLEU-\(n) corpus, sacrebleu exp smoothing, tokenize=none",
                source: "Post 2018, sacrebleu 2.6.0 BLEU(max_ngram_order=\(n), tokenize='none')")
    }
    public static func bleuSentenceMeanNLTK1(_ n: Int) -> Variant {
        Variant(id: "bleu\(n).sentence-mean.nltk-method1",
                label: "BLEU-\(n) sentence mean, NLTK smoothing method 1",
                source: "Chen & Cherry 2014 method 1 (ε = 0.1); nltk 3.10 sentence_bleu")
    }
    public static func rougeNSet(_ n: Int) -> Variant {
        Variant(id: "rouge\(n).set", label: "ROUGE-\(n) F1, n-gram sets, sentence mean",
                source: "Lin 2004 with distinct n-grams; whitespace tokens")
    }
    public static let rougeLWhitespace = Variant(
        id: "rougeL.whitespace", label: "ROUGE-L F1, LCS of whitespace tokens, sentence mean",
        source: "Lin 2004 (LCS, β = 1); whitespace tokens, case kept")
    public static func rougeNScore(_ n: Int) -> Variant {
        Variant(id: "rouge\(n).rouge-score",
                label: "ROUGE-\(n) F1, rouge-score (multiset, its tokenizer, no stemming)",
                source: "Lin 2004; rouge-score 0.1.2 RougeScorer(['rouge\(n)'], use_stemmer=False)")
    }
    public static let rougeLScore = Variant(
        id: "rougeL.rouge-score", label: "ROUGE-L F1, rouge-score (multiset, its tokenizer, no stemming)",
        source: "Lin 2004; rouge-score 0.1.2 RougeScorer(['rougeL'], use_stemmer=False)")
    public static func selfBLEU(_ n: Int) -> Variant {
        Variant(id: "self-bleu\(n).texygen", label: "Self-BLEU-\(n), Texygen (others as references, NLTK smoothing 1)",
                source: "Zhu et al. 2018 (Texygen); nltk 3.10 sentence_bleu method1")
    }
    public static let vocabularySize = Variant(id: "corpus.vocabulary", label: "Vocabulary size (distinct tokens)",
                                               source: "token ids")
    public static let unknownPercent = Variant(id: "corpus.unk-percent", label: "%<unk> of tokens", source: "token ids")
    public static let meanLength = Variant(id: "corpus.mean-length", label: "Mean length (tokens)", source: "token ids")

    public static let rate = Variant(id: "rate", label: "Rate, mean KL(q(z|x) ‖ N(0, I)), nats",
                                     source: "Alemi et al. 2018")
    public static let distortion = Variant(id: "distortion", label: "Distortion, mean reconstruction NLL, nats",
                                           source: "Alemi et al. 2018")
    public static func activeUnits(threshold: Double) -> Variant {
        Variant(id: "au.calc-au", label: "AU, He et al. 2019 calc_au, threshold \(threshold), N−1 divisor",
                source: "Burda et al. 2016; He et al. 2019")
    }
    public static let logDetCovariance = Variant(
        id: "logdetcov", label: "LogDetCov of z, N−1 divisor, Cholesky, mean over S resamplings",
        source: "Prokhorov et al. 2019 §3.2")
    public static let meanSquaredNorm = Variant(
        id: "mean-norm2", label: "‖mean of z‖², mean over S resamplings", source: "Prokhorov et al. 2019 §3.2")
    public static let aggregateKLGaussian = Variant(
        id: "kl-aggregate.gaussian", label: "KL(q(z) ‖ p(z)), moment-matched Gaussian ½(tr S + ‖m‖² − d − log det S)",
        source: "Gaussian fit of z; mean over S resamplings")
    public static let aggregateKLRateMinusMI = Variant(
        id: "kl-aggregate.rate-minus-mi", label: "KL(q(z) ‖ p(z)) = rate − MI",
        source: "Hoffman & Johnson 2016 (ELBO surgery)")
    public static let mutualInformationMixture = Variant(
        id: "mi.full-split", label: "MI, full-split mixture estimator", source: "He et al. 2019 calc_mi over the whole split")
    public static func mutualInformationMixtureSubsample(_ m: Int, of n: Int) -> Variant {
        Variant(id: "mi.full-split.subsample-\(m)-of-\(n)", label: "MI, mixture estimator on a seeded subsample of \(m) of \(n) sentences",
                source: "He et al. 2019 calc_mi over \(m) sentences chosen by SplitMix64(seed 0); cost O(m²d) instead of O(N²d)")
    }
    public static func mutualInformationMinibatch(batchSize: Int) -> Variant {
        Variant(id: "mi.minibatch", label: "MI, He et al. 2019 minibatch estimator, batch \(batchSize)",
                source: "He et al. 2019 calc_mi")
    }
    public static let meanPairwiseCosine = Variant(
        id: "cosine.mean-pairwise", label: "Mean pairwise cosine of h, all pairs i < j",
        source: "Long et al. 2019")
    public static func dimensionState(_ s: DimensionState) -> Variant {
        Variant(id: "dims.\(s.rawValue)", label: "Latent dimensions: \(s.rawValue)",
                source: "too weak vs too noisy signal (Goyal et al. 2017); see DimensionState")
    }
}
