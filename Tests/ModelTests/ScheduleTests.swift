import XCTest
@testable import Model

final class ScheduleTests: XCTestCase {
    func testLinearBeta() {
        var o = ObjectiveConfig()
        o.betaSchedule = .linear
        o.beta0 = 0.1
        o.annealSteps = 100
        XCTAssertEqual(beta(at: 0, objective: o), 0.1, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 50, objective: o), 0.55, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 100, objective: o), 1, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 1_000, objective: o), 1, accuracy: 1e-12)
    }

    func testConstantBeta() {
        var o = ObjectiveConfig()
        o.betaSchedule = .constant
        o.beta = 0.3
        XCTAssertEqual(beta(at: 12_345, objective: o), 0.3)
    }

    func testCyclicalBeta() {
        // Fu et al. 2019: M = 4 cycles over 400 steps, ramp over R = 0.5 of each cycle.
        var o = ObjectiveConfig()
        o.betaSchedule = .cyclical
        o.annealSteps = 400
        o.cycles = 4
        o.cycleRampFraction = 0.5
        XCTAssertEqual(beta(at: 0, objective: o), 0, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 25, objective: o), 0.5, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 50, objective: o), 1, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 99, objective: o), 1, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 100, objective: o), 0, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 310, objective: o), 0.2, accuracy: 1e-12)
        XCTAssertEqual(beta(at: 400, objective: o), 1, accuracy: 1e-12)
    }

    func testKLTargetWarmup() {
        var o = ObjectiveConfig()
        o.klTarget = 15
        o.klTargetWarmupSteps = 1_000
        XCTAssertEqual(klTarget(at: 0, objective: o), 0)
        XCTAssertEqual(klTarget(at: 200, objective: o), 3, accuracy: 1e-12)
        XCTAssertEqual(klTarget(at: 1_000, objective: o), 15)
        XCTAssertEqual(klTarget(at: 5_000, objective: o), 15)
        o.klTargetWarmupSteps = 0
        XCTAssertEqual(klTarget(at: 0, objective: o), 15)
    }
}
