import XCTest
@testable import Site
