import Foundation

/// A fresh temporary directory, removed when the value is released.
final class TempDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "gonggu-sim-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)))
    }
}
