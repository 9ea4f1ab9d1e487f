/// The end-of-training evaluation hook (issue 4). `vaescope train` passes `TrainEvaluation.standard` as
/// `TrainHooks.evaluate`; it runs on the best checkpoint unless `--no-eval` / `evaluateAtEnd=false`.
public enum TrainEvaluation {
    /// Until the evaluation module (branch `eval`, `evaluateRun(named:databasePath:model:corpus:step:options:)`)
    /// is merged this is nil and training ends without evaluation.
    public static var standard: EndOfTrainingEvaluation? { nil }
}
