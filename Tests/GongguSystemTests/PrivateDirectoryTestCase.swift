import Foundation
import GongguHarness
import XCTest

/// A test with a fresh directory of its own (`dir`, removed after it) and the process's umask at 077
/// meanwhile: a service refuses a log readable by others, so the logs it creates must not be.
class PrivateDirectoryTestCase: XCTestCase {
    var dir = ""
    /// The directory's name prefix.
    var directoryLabel: String { "private" }
    private var oldMask: mode_t = 0

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory(directoryLabel)
        oldMask = umask(0o077)
    }

    override func tearDown() {
        umask(oldMask)
        try? FileManager.default.removeItem(atPath: dir)
    }
}
