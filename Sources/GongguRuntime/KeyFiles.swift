import Foundation
import GongguCore
import GongguTransport

/// Key files written by `gonggu keys new NAME`: `NAME.key` (public and secret, mode 0600) and
/// `NAME.pub` (public only), each `key = value` lines.
public enum KeyFiles {
    public static func write(_ keys: CurveKeyPair, name: String, directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let secret = directory + "/\(name).key"
        let pub = directory + "/\(name).pub"
        guard !FileManager.default.fileExists(atPath: secret) else {
            throw ConfigError.invalid(secret, "already exists; revoke or remove it first")
        }
        let old = umask(0o077)
        defer { umask(old) }
        try "# Gonggu CURVE key \(name) — keep secret\npublic = \(keys.publicKey)\nsecret = \(keys.secretKey)\n"
            .write(toFile: secret, atomically: true, encoding: .utf8)
        try "# Gonggu CURVE public key \(name)\npublic = \(keys.publicKey)\n".write(toFile: pub, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        chmod(pub, 0o644)
    }

    static func fields(_ path: String) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError.unreadable(path) }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }

    /// Reads a public key from `NAME.pub` or `NAME.key`.
    public static func readPublic(_ path: String) throws -> String {
        guard let k = try fields(path)["public"], CurveKeyPair.isValidKey(k) else {
            throw ConfigError.invalid(path, "no valid 'public' key")
        }
        return k
    }

    /// Reads a key pair from `NAME.key`.
    public static func readPair(_ path: String) throws -> CurveKeyPair {
        let f = try fields(path)
        guard let p = f["public"], let s = f["secret"], CurveKeyPair.isValidKey(p), CurveKeyPair.isValidKey(s) else {
            throw ConfigError.invalid(path, "needs valid 'public' and 'secret' keys")
        }
        return CurveKeyPair(publicKey: p, secretKey: s)
    }
}
