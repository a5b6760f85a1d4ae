import GongguCore

/// Recipients and routing as configuration: who receives which events for which region, how to reach
/// them, and where unacknowledged notifications escalate.
///
/// The document is JSON:
/// ```json
/// { "version": "2025.1",
///   "escalation": { "afterDays": 7 },
///   "recipients": [
///     { "id": "220102-bureau", "name": "长春市南关区乡村振兴局", "kind": "bureau", "level": "county",
///       "region": "220102", "publicKey": "<Z85, 40 characters>",
///       "types": ["RiskFeedback", "RecommendationOverdue"], "escalateTo": "2201-bureau",
///       "channels": [{"type": "zmq"}, {"type": "webhook", "url": "https://…"}], "revoked": false } ] }
/// ```
/// `types` defaults by kind (bureau: risk feedback; office: findings), `channels` to `zmq`,
/// `revoked` to false, `escalation.afterDays` to 7.
public struct RecipientDirectory: Sendable, Equatable {
    /// Version label of the document.
    public var version: String { storage.version }
    /// Days a notification may stay unacknowledged before it escalates one level up.
    public var escalationAfterDays: Int { storage.escalationAfterDays }
    /// Recipients in document order.
    public var recipients: [Recipient] { storage.recipients }
    /// SHA-256 (hex) of the document text.
    public var sha256: String { storage.sha256 }
    /// The document as loaded.
    public var text: String { storage.text }
    private var index: [String: Int] { storage.index }
    /// Routing index: event type → region prefix → positions of the non-revoked recipients with that
    /// type and exactly that prefix, ascending (document order). Routing looks up the two, four and
    /// six digits of the event's region instead of testing every recipient.
    private var routes: [String: [String: [Int]]] { storage.routes }

    /// Everything, parsed once and never changed: a copy of the directory (the notifier's fold reads
    /// it for every notification and acknowledgement) is one reference, not six.
    private final class Storage: Sendable {
        let version: String
        let escalationAfterDays: Int
        let recipients: [Recipient]
        let sha256: String
        let text: String
        let index: [String: Int]
        let routes: [String: [String: [Int]]]

        init(
            version: String, escalationAfterDays: Int, recipients: [Recipient], sha256: String, text: String,
            index: [String: Int], routes: [String: [String: [Int]]]
        ) {
            self.version = version
            self.escalationAfterDays = escalationAfterDays
            self.recipients = recipients
            self.sha256 = sha256
            self.text = text
            self.index = index
            self.routes = routes
        }
    }

    private let storage: Storage

    /// Equal documents make equal directories (everything else is derived from the text).
    public static func == (a: RecipientDirectory, b: RecipientDirectory) -> Bool {
        a.storage === b.storage || a.text == b.text
    }

    /// Limits against absurd documents (a province has about a hundred counties).
    public static let maxRecipients = 10_000
    public static let maxDocumentBytes = 4 << 20

    /// Parses and checks a directory document; throws `DirectoryError` naming the first problem.
    public init(text: String) throws {
        guard text.utf8.count <= Self.maxDocumentBytes else { throw DirectoryError.malformed("document too large") }
        let root: JSONValue
        do { root = try JSONValue.parse(text) } catch { throw DirectoryError.malformed("\(error)") }
        guard case .object = root else { throw DirectoryError.malformed("the document must be a JSON object") }
        guard let version = root["version"]?.stringValue, !version.isEmpty else {
            throw DirectoryError.missing("version")
        }
        var afterDays = 7
        if let escalation = root["escalation"] {
            guard case .object = escalation else { throw DirectoryError.invalid("escalation", "not an object") }
            if let days = escalation["afterDays"] {
                guard let d = days.intValue, (1...365).contains(d) else {
                    throw DirectoryError.invalid("escalation.afterDays", "must be a whole number of days 1…365")
                }
                afterDays = d
            }
        }
        guard let list = root["recipients"]?.arrayValue else { throw DirectoryError.missing("recipients") }
        guard list.count <= Self.maxRecipients else { throw DirectoryError.invalid("recipients", "too many") }
        var recipients: [Recipient] = []
        var index: [String: Int] = [:]
        var keys: [String: String] = [:]
        for (i, item) in list.enumerated() {
            let r = try Self.recipient(item, at: i)
            guard index[r.id] == nil else { throw DirectoryError.duplicate("recipients[\(i)].id", r.id) }
            if !r.revoked {
                if let other = keys[r.publicKey] {
                    throw DirectoryError.duplicate("recipients[\(i)].publicKey", "same key as \(other)")
                }
                keys[r.publicKey] = r.id
            }
            index[r.id] = recipients.count
            recipients.append(r)
        }
        // Escalation goes strictly up (county → city → province) and stays within the jurisdiction,
        // which also rules out cycles.
        for r in recipients {
            guard let target = r.escalateTo else { continue }
            let field = "\(r.id).escalateTo"
            guard let t = index[target].map({ recipients[$0] }) else {
                throw DirectoryError.unknownRecipient(field, target)
            }
            guard r.level < t.level else { throw DirectoryError.invalid(field, "\(target) is not at a higher level") }
            guard r.region.hasPrefix(t.region) else {
                throw DirectoryError.invalid(field, "\(target) does not cover region \(r.region)")
            }
        }
        storage = Storage(
            version: version, escalationAfterDays: afterDays, recipients: recipients,
            sha256: SHA256.hash(text).hexString, text: text, index: index, routes: Self.routingIndex(recipients))
    }

    /// Checks a document completely without keeping it (for refusing it before it is logged).
    public static func validate(document: String) throws { _ = try RecipientDirectory(text: document) }

    /// The recipient with `id`, revoked or not.
    public func recipient(_ id: String) -> Recipient? { index[id].map { recipients[$0] } }

    /// The channels of recipient `id`, revoked or not (none for an unknown id); reads one array instead of
    /// copying the recipient out.
    public func channels(of id: String) -> [RecipientChannel] { index[id].map { recipients[$0].channels } ?? [] }

    /// Whether `id` is a recipient of this directory marked revoked (false for an unknown id); reads
    /// one flag instead of copying the recipient out.
    public func isRevoked(_ id: String) -> Bool { index[id].map { recipients[$0].revoked } ?? false }

    /// The non-revoked recipient holding CURVE public key `key` (what the ZAP handler admits).
    public func recipient(publicKey key: String) -> Recipient? {
        recipients.first { !$0.revoked && $0.publicKey == key }
    }

    /// Public keys to admit, key → recipient id (revoked recipients excluded).
    public var admittedKeys: [String: String] {
        var out: [String: String] = [:]
        for r in recipients where !r.revoked { out[r.publicKey] = r.id }
        return out
    }

    /// Recipients of an event of `type` in `region`: every non-revoked recipient whose prefix is a
    /// prefix of the region and whose types contain the type, in document order. A recipient never
    /// gets another county's events because its prefix would not match.
    public func route(type: String, region: String) -> [Recipient] {
        guard region.count >= 6, let byPrefix = routes[type] else { return [] }
        let bytes = Array(region.utf8)
        var positions: [Int] = []
        for level in RecipientLevel.allCases where level.prefixLength <= bytes.count {
            let prefix = String(decoding: bytes[..<level.prefixLength], as: UTF8.self)
            if let found = byPrefix[prefix] { positions += found }
        }
        if positions.isEmpty { return [] }
        // Several levels may match (county, city and province recipients of the same type).
        positions.sort()
        // `covers` confirms each candidate, so the result is exactly the filter the doc describes.
        return positions.map { recipients[$0] }.filter { $0.covers(type: type, region: region) }
    }

    /// Builds `routes`: prefixes are the recipients' own regions, whose length their level fixes.
    private static func routingIndex(_ recipients: [Recipient]) -> [String: [String: [Int]]] {
        var routes: [String: [String: [Int]]] = [:]
        for (i, r) in recipients.enumerated() where !r.revoked {
            for type in r.types { routes[type, default: [:]][r.region, default: []].append(i) }
        }
        return routes
    }

    /// The first non-revoked recipient up the escalation chain of `id`, if any.
    public func escalationTarget(of id: String) -> Recipient? {
        var next = recipient(id)?.escalateTo
        var hops = 0
        while let n = next, let r = recipient(n), hops < 3 {
            if !r.revoked { return r }
            next = r.escalateTo
            hops += 1
        }
        return nil
    }

    // MARK: Parsing one recipient

    private static func recipient(_ v: JSONValue, at i: Int) throws -> Recipient {
        let at = "recipients[\(i)]"
        guard case .object = v else { throw DirectoryError.invalid(at, "not an object") }
        func string(_ key: String) throws -> String {
            guard let s = v[key]?.stringValue, !s.isEmpty else { throw DirectoryError.missing("\(at).\(key)") }
            return s
        }
        let id = try string("id")
        guard id.utf8.count <= 64, id.first != ".",
            id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                || $0 == "-" || $0 == "_" || $0 == ".") })
        else { throw DirectoryError.invalid("\(at).id", "use letters, digits, '-', '_' or '.' (at most 64)") }
        let at2 = "recipient \(id)"
        let name = try string("name")
        guard let kind = RecipientKind(rawValue: try string("kind")) else {
            throw DirectoryError.invalid("\(at2).kind", "must be bureau or office")
        }
        guard let level = RecipientLevel(rawValue: try string("level")) else {
            throw DirectoryError.invalid("\(at2).level", "must be county, city or province")
        }
        let region = try string("region")
        guard region.count == level.prefixLength, region.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw DirectoryError.invalid("\(at2).region", "a \(level.rawValue) needs \(level.prefixLength) digits")
        }
        let key = try string("publicKey")
        guard Z85.isKey(key) else { throw DirectoryError.invalid("\(at2).publicKey", "not a 40-character Z85 key") }
        var types: [String]?
        if let t = v["types"] {
            guard let list = t.arrayValue, !list.isEmpty else {
                throw DirectoryError.invalid("\(at2).types", "must be a non-empty array")
            }
            var out: [String] = []
            for item in list {
                guard let s = item.stringValue, NotifyEventTypes.routable.contains(s) else {
                    throw DirectoryError.invalid("\(at2).types", "unknown event type \(item.jsonString)")
                }
                if !out.contains(s) { out.append(s) }
            }
            types = out
        }
        var escalateTo: String?
        if let e = v["escalateTo"], e != .null {
            guard let s = e.stringValue, !s.isEmpty else {
                throw DirectoryError.invalid("\(at2).escalateTo", "not a string")
            }
            escalateTo = s
        }
        var channels: [RecipientChannel] = [.zmq]
        if let c = v["channels"] {
            guard let list = c.arrayValue, !list.isEmpty else {
                throw DirectoryError.invalid("\(at2).channels", "must be a non-empty array")
            }
            channels = try list.map { try channel($0, at2) }
        }
        var revoked = false
        if let r = v["revoked"] {
            guard let b = r.boolValue else { throw DirectoryError.invalid("\(at2).revoked", "must be true or false") }
            revoked = b
        }
        return Recipient(
            id: id, name: name, kind: kind, level: level, region: region, publicKey: key, types: types,
            escalateTo: escalateTo, channels: channels, revoked: revoked)
    }

    private static func channel(_ v: JSONValue, _ at: String) throws -> RecipientChannel {
        guard let type = v["type"]?.stringValue else { throw DirectoryError.missing("\(at).channels[].type") }
        switch type {
        case "zmq": return .zmq
        case "outbox": return .outbox
        case "webhook":
            guard let url = v["url"]?.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://"),
                url.utf8.count <= 2048, !url.contains(" ")
            else { throw DirectoryError.invalid("\(at).channels.webhook.url", "needs an http(s) URL") }
            return .webhook(url: url)
        default:
            throw DirectoryError.invalid("\(at).channels[].type", "unknown channel \(type)")
        }
    }
}

/// Why a recipient directory document was refused. The directory in force stays in force.
public enum DirectoryError: Error, Equatable, CustomStringConvertible {
    /// Not JSON, not an object, or too large.
    case malformed(String)
    /// A required key is absent or empty.
    case missing(String)
    /// A key has an unusable value.
    case invalid(String, String)
    /// Two recipients share an id or a public key.
    case duplicate(String, String)
    /// An escalation names a recipient that is not in the document.
    case unknownRecipient(String, String)

    public var description: String {
        switch self {
        case let .malformed(why): return "recipient directory is malformed: \(why)"
        case let .missing(key): return "recipient directory lacks '\(key)'"
        case let .invalid(key, why): return "recipient directory has an invalid '\(key)': \(why)"
        case let .duplicate(key, value): return "recipient directory repeats '\(key)': \(value)"
        case let .unknownRecipient(key, id): return "recipient directory '\(key)' names unknown recipient \(id)"
        }
    }

    /// The same, in Chinese, for staff.
    public var chinese: String {
        switch self {
        case let .malformed(why): return "接收单位目录格式错误：\(why)"
        case let .missing(key): return "接收单位目录缺少“\(key)”"
        case let .invalid(key, why): return "接收单位目录中“\(key)”的值无效：\(why)"
        case let .duplicate(key, value): return "接收单位目录中“\(key)”重复：\(value)"
        case let .unknownRecipient(key, id): return "接收单位目录中“\(key)”指向不存在的单位 \(id)"
        }
    }
}

/// Z85 (ZeroMQ RFC 32) checks, pure: a CURVE public key is 32 bytes, 40 characters of Z85.
public enum Z85 {
    static let alphabet = Array(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    static let values: [Int8] = {
        var v = [Int8](repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { v[Int(c)] = Int8(i) }
        return v
    }()

    /// Whether `text` is 40 Z85 characters whose 5-character groups each fit in 32 bits.
    public static func isKey(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 40 else { return false }
        for group in stride(from: 0, to: 40, by: 5) {
            var value: UInt64 = 0
            for c in u[group..<group + 5] {
                guard c < 128, values[Int(c)] >= 0 else { return false }
                value = value * 85 + UInt64(values[Int(c)])
            }
            if value > UInt64(UInt32.max) { return false }
        }
        return true
    }
}
