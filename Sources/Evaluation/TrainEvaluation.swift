import Training

/// The end-of-training evaluation hook (issue 4). `vaescope train` passes `TrainEvaluation.standard` as
/// `TrainHooks.evaluate`; it runs on the best checkpoint unless `--no-eval` / `evaluateAtEnd=false`, with the
/// options taken from the run's configuration (`EvaluationOptions(trainConfig:)`: evalSplit, iwSamples,
/// latentSamples, priorSamples, batchSize).
public enum TrainEvaluation {
    public static var standard: EndOfTrainingEvaluation? { endOfTrainingEvaluation() }
}
