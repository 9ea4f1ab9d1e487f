import TestSupport
import XCTest
@testable import Charts

