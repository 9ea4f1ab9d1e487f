import ArgumentParser
import Corpus
import Site
import Training

// The library's enums as command-line values: ArgumentParser checks them, and its help and errors list the
// allowed values (`--split <split>` … "(values: train, valid, test)").

extension Split: ExpressibleByArgument {}
extension EvaluationOptions.CheckpointChoice: ExpressibleByArgument {}
extension MetricsListing.Format: ExpressibleByArgument {}
extension StoreLoader.MetricsCache: ExpressibleByArgument {}

/// `--schemes greedy,top-k:5,nucleus:0.9`: decoding schemes, checked when parsed (an unknown scheme is a usage
/// error naming the option); kept as text and turned into schemes by `EvaluationOptions.parseSchemes`.
struct SchemeList: ExpressibleByArgument, CustomStringConvertible {
    var text: String

    init?(argument: String) {
        guard let s = try? EvaluationOptions.parseSchemes(argument), !s.isEmpty else { return nil }
        text = argument
    }

    /// The evaluation's default schemes (Prokhorov et al. 2019 Table 3).
    static var defaults: SchemeList { SchemeList(argument: EvaluationOptions.defaultSchemesText)! }

    var description: String { text }
    var defaultValueDescription: String { text }
}
