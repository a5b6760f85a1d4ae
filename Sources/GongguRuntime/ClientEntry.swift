import Foundation
import GongguCore
import GongguTransport

/// What an entry of `control.clients` and one of intake's `submission.clients` have in common (the
/// same key files serve both): `{"name", "public_key" | "public_key_file", "kinds": […],
/// "region_prefix"}`. `place` names the entry in errors (`control.clients[2]`).
public enum ClientEntry {
    /// `public_key`, else the key in `public_key_file`; nil when that file is gone (`gonggu keys
    /// revoke` moves it away: the client is revoked).
    public static func publicKey(_ item: JSONValue, at place: String) throws -> String? {
        var key = item["public_key"]?.stringValue
        if key == nil, let file = item["public_key_file"]?.stringValue {
            guard FileManager.default.fileExists(atPath: file) else { return nil }
            key = try KeyFiles.readPublic(file)
        }
        guard let publicKey = key, CurveKeyPair.isValidKey(publicKey) else {
            throw ConfigError.invalid(place, "needs a valid Z85 public_key or public_key_file")
        }
        return publicKey
    }

    /// The record kinds the client is limited to (each one `isKind` knows) and its region prefix (up to
    /// 12 digits, `""` for all).
    public static func scope(_ item: JSONValue, at place: String, isKind: (String) -> Bool) throws
        -> (kinds: Set<String>, regionPrefix: String)
    {
        let kinds = Set((item["kinds"]?.arrayValue ?? []).compactMap(\.stringValue))
        for k in kinds where !isKind(k) { throw ConfigError.invalid("\(place).kinds", "unknown kind \(k)") }
        let prefix = item["region_prefix"]?.stringValue ?? ""
        guard prefix.count <= 12, prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ConfigError.invalid("\(place).region_prefix", prefix)
        }
        return (kinds, prefix)
    }
}
