import XCTest
@testable import Metrics
