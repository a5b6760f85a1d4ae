import Foundation

/// The data folder and log file permissions: logs hold personal data, so the folder is 0700 and a
/// log readable by others is refused (warned and the service does not start).
public enum DataDirectory {
    /// Creates the folder with mode 0700 if absent.
    public static func prepare(_ path: String, logger: Logger) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw ConfigError.invalid("data.directory", "\(path) is not a folder") }
            return
        }
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        logger.info("created data folder", ["path": .string(path)])
    }

    /// Refuses a log file that others can read or write (mode & 0o077 ≠ 0).
    public static func checkPermissions(of file: String, logger: Logger) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
            let mode = attributes[.posixPermissions] as? NSNumber
        else { return }
        if mode.intValue & 0o077 != 0 {
            logger.error(
                "log file is accessible to other users; refusing to start",
                ["path": .string(file), "mode": .string(String(mode.intValue, radix: 8))])
            throw ConfigError.invalid("log.path", "\(file) has mode \(String(mode.intValue, radix: 8)); run chmod 600")
        }
    }
}
