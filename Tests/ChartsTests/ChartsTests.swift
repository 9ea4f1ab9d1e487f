import XCTest
@testable import Charts
