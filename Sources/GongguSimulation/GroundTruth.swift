import GongguCore
import GongguEvents

/// What the pipeline must find in a simulated province (`ground-truth.json`).
public struct GroundTruth: Sendable, Equatable {
    /// Expected record counts of one file.
    public struct FileCount: Sendable, Equatable {
        public var file: String
        public var kind: String
        public var read: Int
        public var accepted: Int
        public var duplicate: Int
        public var rejected: Int
    }

    /// A seeded bad row and the rejection code intake must give it.
    public struct Rejected: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var code: String
        public var note: String
    }

    /// An expected verifier finding (`EntitlementGap`, `AssistanceDiscontinued`, `PaymentAnomaly`).
    public struct Finding: Sendable, Equatable {
        public var type: String
        public var findingID: String
        public var householdID: String
        public var seedCase: String

        public init(type: String, findingID: String, householdID: String, seedCase: String) {
            (self.type, self.findingID, self.householdID, self.seedCase) = (type, findingID, householdID, seedCase)
        }
    }

    /// A seeded household with its case (for recommendations and for cases that must stay silent).
    public struct Household: Sendable, Equatable {
        public var householdID: String
        public var seedCase: String
    }

    public var seed: UInt64
    public var households: Int
    public var referenceDate: String
    public var files: [FileCount] = []
    public var rejected: [Rejected] = []
    public var findings: [Finding] = []
    /// Households for which the risk monitor must recommend monitoring (`MonitoringRecommended`).
    public var monitoringRecommended: [Household] = []
    /// Households for which nothing at all may be found (stops with a valid reason).
    public var mustNotBeFound: [Household] = []
    /// Households that left poverty with no main measure active on 1 January of the reference year: the
    /// continuity figures of their region count them on the own line, never as continued.
    public var continuityOwnLine: [Household] = []

    public init(seed: UInt64, households: Int, referenceDate: String) {
        self.seed = seed
        self.households = households
        self.referenceDate = referenceDate
    }

    /// Deterministic JSON text (keys in a fixed order, lists in generation order).
    public var json: [UInt8] {
        var w = JSONWriter(capacity: 1 << 16)
        w.beginObject()
        w.key("seed"); w.string("\(seed)")
        w.field("households", households)
        w.field("referenceDate", referenceDate)
        w.objects("files", files) { w, f in
            w.field("file", f.file)
            w.field("kind", f.kind)
            w.field("read", f.read)
            w.field("accepted", f.accepted)
            w.field("duplicate", f.duplicate)
            w.field("rejected", f.rejected)
        }
        w.objects("rejected", rejected) { w, r in
            w.field("file", r.file)
            w.field("line", r.line)
            w.field("code", r.code)
            w.field("note", r.note)
        }
        w.objects("findings", findings) { w, f in
            w.field("type", f.type)
            w.field("findingID", f.findingID)
            w.field("householdID", f.householdID)
            w.field("case", f.seedCase)
        }
        for (key, list) in [
            ("monitoringRecommended", monitoringRecommended), ("mustNotBeFound", mustNotBeFound),
            ("continuityOwnLine", continuityOwnLine),
        ] {
            w.objects(key, list) { w, h in
                w.field("householdID", h.householdID)
                w.field("case", h.seedCase)
            }
        }
        w.endObject()
        var bytes = w.bytes
        bytes.append(10)
        return bytes
    }

    /// Reads `ground-truth.json`.
    public init(json bytes: [UInt8]) throws {
        let v = try JSONValue.parse(bytes)
        func str(_ o: JSONValue, _ k: String) throws -> String {
            guard let s = o[k]?.stringValue else { throw SimulationError("ground truth: missing \(k)") }
            return s
        }
        func int(_ o: JSONValue, _ k: String) throws -> Int {
            guard let i = o[k]?.intValue else { throw SimulationError("ground truth: missing \(k)") }
            return i
        }
        func list(_ k: String) -> [JSONValue] { v[k]?.arrayValue ?? [] }
        seed = UInt64(try str(v, "seed")) ?? 0
        households = try int(v, "households")
        referenceDate = try str(v, "referenceDate")
        files = try list("files").map {
            FileCount(file: try str($0, "file"), kind: try str($0, "kind"), read: try int($0, "read"),
                      accepted: try int($0, "accepted"), duplicate: try int($0, "duplicate"),
                      rejected: try int($0, "rejected"))
        }
        rejected = try list("rejected").map {
            Rejected(file: try str($0, "file"), line: try int($0, "line"), code: try str($0, "code"),
                     note: try str($0, "note"))
        }
        findings = try list("findings").map {
            Finding(type: try str($0, "type"), findingID: try str($0, "findingID"),
                    householdID: try str($0, "householdID"), seedCase: try str($0, "case"))
        }
        func householdList(_ k: String) throws -> [Household] {
            try list(k).map { Household(householdID: try str($0, "householdID"), seedCase: try str($0, "case")) }
        }
        monitoringRecommended = try householdList("monitoringRecommended")
        mustNotBeFound = try householdList("mustNotBeFound")
        continuityOwnLine = try householdList("continuityOwnLine")
    }
}
