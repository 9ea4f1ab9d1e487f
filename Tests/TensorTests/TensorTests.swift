import XCTest
@testable import Tensor

final class BLASThreadsTests: XCTestCase {
    func testSetThreadsAcceptsOne() {
        BLAS.setThreads(1)
    }
}
