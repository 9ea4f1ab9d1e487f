import XCTest
@testable import Model
