import Model
import Site
import XCTest

/// The report specs check config keys against `ReportSpec.knownConfigKeys` (Site does not depend on the model);
/// every field of the model's and the objective's configuration must be in that list, so a key added to the
/// trainer cannot be silently rejected in a spec's `where` or `groupBy`.
final class ConfigKeyAgreementTests: XCTestCase {
    func testEveryModelAndObjectiveFieldIsAKnownSpecKey() {
        let fields = Mirror(reflecting: VAEConfig()).children.compactMap(\.label)
            + Mirror(reflecting: ObjectiveConfig()).children.compactMap(\.label)
        XCTAssertGreaterThan(fields.count, 20)
        for field in fields {
            XCTAssertTrue(ReportSpec.knownConfigKeys.contains(field), "report specs do not know config key '\(field)'")
        }
    }
}
