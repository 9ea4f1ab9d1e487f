import XCTest
@testable import RunStore
