import GongguCore
import GongguEvents

/// A validated record before it gets its source reference: the payload JSON up to (and
/// including) the `"source":` key, so the fingerprint can be taken over business content only and
/// the file/line spliced in after.
struct BuiltFact {
    var type: String
    var version: Int
    var subject: String
    var region: String
    /// Business date, days since 1970-01-01 (China calendar).
    var days: Int
    var payloadPrefix: [UInt8]
    var correctionKey: String

    /// The JSON fact payloads end with when their source is blank: `{"file":"","line":0}}`.
    static let blankSourceTail: [UInt8] = {
        var w = JSONWriter()
        w.beginObject()
        SourceRefWriter.write(SourceRef.blank, to: &w)
        w.endObject()
        // `{"source":{"file":"","line":0}}` → keep what follows `"source":`.
        return Array(w.bytes.dropFirst(#"{"source":"#.utf8.count))
    }()

    init<P: EventPayload>(_ payload: P, subject: String, region: String, days: Int, key: String) {
        var w = JSONWriter(capacity: 640)
        payload.write(to: &w)
        var bytes = w.bytes
        let tail = BuiltFact.blankSourceTail
        precondition(
            bytes.count >= tail.count && bytes.suffix(tail.count).elementsEqual(tail),
            "\(P.eventType) payload must end with its source object")
        bytes.removeLast(tail.count)
        type = P.eventType
        version = P.schemaVersion
        self.subject = subject
        self.region = region
        self.days = days
        payloadPrefix = bytes
        correctionKey = key
    }
}

extension SourceRef {
    /// The source of a payload before intake knows file and line.
    static let blank = SourceRef(file: "", line: 0)
}

/// Writes a source reference the way the fact payloads do (`SourceRef.write` is internal to the
/// core module).
enum SourceRefWriter {
    static func write(_ s: SourceRef, to w: inout JSONWriter) {
        w.key("source")
        w.beginObject()
        w.field("file", s.file)
        w.field("line", s.line)
        w.endObject()
    }
}
