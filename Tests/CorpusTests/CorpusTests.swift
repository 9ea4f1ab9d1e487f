import XCTest
@testable import Corpus
