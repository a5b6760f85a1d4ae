import Foundation
import GongguCore
import GongguHarness
import GongguInvestigation
import GongguRisk
import GongguServices
import GongguSimulation
import GongguStore
import XCTest

/// A small synthetic province run once through the real pipeline — the four service processes, files
/// imported with `gonggu import`, clock ticks carrying it months past the assessment date so reminders
/// and escalations happen — shared by the tests of this target. At each checkpoint the running
/// services are asked their state digest (`DIGEST`), which the as-of tests compare with rebuilds.
final class ProvinceFixture {
    /// A service's own word on its state at one moment.
    struct Checkpoint {
        var label: String
        var service: String
        var digest: String
        var lastSeq: Int64
        /// recordedAt of the event at `lastSeq` (the instant the state was reached).
        var instant: Timestamp
    }

    static let shared: Result<ProvinceFixture, Error> = Result {
        let fixture = try ProvinceFixture()
        // The services run until the test process exits (XCTest ends with exit()): replay endpoint
        // tests need them; the folder goes with them.
        atexit {
            guard case .success(let p) = ProvinceFixture.shared else { return }
            p.launcher.stopAll()
            try? FileManager.default.removeItem(atPath: p.root)
        }
        return fixture
    }
    /// The risk rule version the fixture activates at the assessment date.
    static let ruleVersion = "2025.2-inv"

    let root: String
    let launcher: PipelineLauncher
    private(set) var checkpoints: [Checkpoint] = []
    /// Instant before anything was imported.
    let beforeAll: Timestamp

    var logPaths: [String] { PipelineLauncher.services.map { launcher.logPath($0) } }

    static var binDirectory: URL {
        var url = Bundle(for: ProvinceFixture.self).bundleURL
        while url.pathExtension == "xctest" || url.lastPathComponent.hasSuffix(".xctest") {
            url.deleteLastPathComponent()
        }
        return url
    }

    private init() throws {
        root = NSTemporaryDirectory() + "gonggu-investigation-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let province = root + "/province"
        _ = try Simulator(households: 400, seed: 7).write(to: province)
        launcher = PipelineLauncher(
            directory: root + "/deploy", recipients: Self.recipients(), escalationAfterDays: 3,
            binDirectory: Self.binDirectory)
        try launcher.prepare()
        beforeAll = Timestamp(Date().timeIntervalSince1970 * 1000) - 1
        try launcher.startAll()

        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: province + "/manifest.json")!))
        let files = manifest["files"]?.arrayValue ?? []
        for (i, entry) in files.enumerated() {
            guard let file = entry["file"]?.stringValue, let kind = entry["kind"]?.stringValue else { continue }
            let (status, output) = try Self.gonggu([
                "import", "\(province)/\(file)", "--kind", kind, "--control", launcher.control("intake"),
                "--allow-rejects",
            ])
            guard status == 0 else { throw FixtureError("import \(file) failed: \(output)") }
            if i == files.count / 2 { try checkpoint("half imported") }
        }
        try checkpoint("all imported")
        let reference = manifest["referenceDate"]?.stringValue ?? Simulator.referenceDate
        let day = BusinessCalendar.dayNumber(reference)!
        // A second risk rule version from the assessment date on, so decisions after it name a
        // version that entered the log as a `RulesActivated` event (the first is the built-in one).
        let document = RiskRules.defaultDocument
            .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"\(Self.ruleVersion)\"")
            .replacingOccurrences(of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"\(reference)\"")
        var body = JSONWriter()
        body.beginObject()
        body.field("document", document)
        body.endObject()
        guard launcher.call("risk", "RULES", body: body.string, timeoutMs: 30_000)?.status == "OK" else {
            throw FixtureError("risk refused the rule document")
        }
        for (k, offset) in [0, 45, 120, 400].enumerated() {
            let date = BusinessCalendar.dateText(ofDay: day + offset)
            for s in ["verify", "risk", "notify"] {
                guard launcher.call(s, "TICK", body: "{\"date\":\"\(date)\"}", timeoutMs: 60_000)?.status == "OK" else {
                    throw FixtureError("\(s) refused the tick \(date)")
                }
                try launcher.waitIdle(timeout: 300)
            }
            try checkpoint("tick \(k) \(date)")
            if k == 0 { try importLateRecords(province: province, reference: reference) }
        }
    }

    /// Records that arrive after the assessment date, so the province also shows a finding resolved
    /// by a later fact (a person with an open gap dies) and a household monitored without any
    /// assistance measure (a new 边缘易致贫户 with nothing else recorded).
    private func importLateRecords(province: String, reference: String) throws {
        let log = try EventLog(path: launcher.logPath("verify"), stream: "verify", readOnly: true)
        var gap: (household: String, region: String, person: String)?
        try log.forEach { e in
            guard gap == nil, e.type == "EntitlementGap", let p = try? JSONValue.parse(e.payload),
                let person = p["personID"]?.stringValue
            else { return }
            gap = (e.subject, e.region, person)
        }
        guard let gap else { throw FixtureError("no entitlement gap to resolve") }
        let day = BusinessCalendar.dayNumber(reference)!
        let life =
            "户编号,区划代码,身份证号,事件类型,发生日期\n"
            + "\(gap.household),\(gap.region),\(gap.person),死亡,\(BusinessCalendar.dateText(ofDay: day + 5))\n"
        let household =
            "户编号,区划代码,户类型,认定日期,脱贫年度\n"
            + "H\(gap.region)-9999999,\(gap.region),边缘易致贫户,\(reference),\n"
        for (name, kind, text) in [("late-life.csv", "life", life), ("late-household.csv", "household", household)] {
            let path = "\(province)/\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let (status, output) = try Self.gonggu([
                "import", path, "--kind", kind, "--control", launcher.control("intake"),
            ])
            guard status == 0 else { throw FixtureError("import \(name) failed: \(output)") }
        }
        try checkpoint("late records")
    }

    /// Waits for an idle pipeline and records every fold service's digest and last seq.
    private func checkpoint(_ label: String) throws {
        try launcher.waitIdle(timeout: 300)
        for s in ["verify", "risk", "notify"] {
            guard let reply = launcher.call(s, "DIGEST", timeoutMs: 60_000), reply.status == "OK",
                let digest = reply.body?["digest"]?.stringValue, let last = reply.body?["lastSeq"]?.intValue
            else { throw FixtureError("\(s) did not answer DIGEST") }
            let log = try EventLog(path: launcher.logPath(s), stream: s, readOnly: true)
            let at = try log.read(after: Int64(last) - 1, limit: 1).first?.recordedAt ?? 0
            checkpoints.append(Checkpoint(label: label, service: s, digest: digest, lastSeq: Int64(last), instant: at))
        }
    }

    func openLogs() throws -> LogSet { try LogSet(paths: [launcher.dataDirectory]) }

    /// Every event of a service's log, in seq order.
    func events(_ service: String) throws -> [Event] {
        let log = try EventLog(path: launcher.logPath(service), stream: service, readOnly: true)
        var out: [Event] = []
        try log.forEach { out.append($0) }
        return out
    }

    static func gonggu(_ args: [String]) throws -> (Int32, String) {
        let r = try runToCompletion(binDirectory.appendingPathComponent("gonggu"), args)
        return (r.status, r.output)
    }

    /// County bureaus (risk feedback, reminders) and 残联 offices (findings) for every simulated
    /// county, escalating to their prefecture and then the province, as the demo deploys them.
    static func recipients() -> [PipelineLauncher.Recipient] {
        let bureauTypes = ["RiskFeedback", "RecommendationOverdue"]
        let officeTypes = [
            "EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved",
            "MonitoringWithoutAssistance",
        ]
        var out: [PipelineLauncher.Recipient] = [
            .init(
                id: "22-bureau", name: "吉林省乡村振兴局", kind: "bureau", level: "province", region: "22",
                types: ["RecommendationOverdue"], channels: ["outbox"]),
            .init(
                id: "22-office", name: "吉林省残疾人联合会", kind: "office", level: "province", region: "22",
                types: ["MonitoringWithoutAssistance"], channels: ["outbox"]),
        ]
        var prefectures = Set<String>()
        for c in PipelineCheck.counties {
            if prefectures.insert(c.prefecture).inserted {
                out.append(
                    .init(
                        id: "\(c.prefecture)-bureau", name: "\(c.prefectureName)乡村振兴局", kind: "bureau",
                        level: "city", region: c.prefecture, types: ["RecommendationOverdue"],
                        escalateTo: "22-bureau", channels: ["outbox"]))
                out.append(
                    .init(
                        id: "\(c.prefecture)-office", name: "\(c.prefectureName)残疾人联合会", kind: "office",
                        level: "city", region: c.prefecture, types: ["MonitoringWithoutAssistance"],
                        escalateTo: "22-office", channels: ["outbox"]))
            }
            out.append(
                .init(
                    id: "\(c.code)-bureau", name: "\(c.name)乡村振兴局", kind: "bureau", level: "county",
                    region: c.code, types: bureauTypes, escalateTo: "\(c.prefecture)-bureau", channels: ["outbox"]))
            out.append(
                .init(
                    id: "\(c.code)-office", name: "\(c.name)残疾人联合会", kind: "office", level: "county",
                    region: c.code, types: officeTypes, escalateTo: "\(c.prefecture)-office", channels: ["outbox"]))
        }
        return out
    }

}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Base class: hands out the shared province.
class ProvinceTestCase: XCTestCase {
    func province() throws -> ProvinceFixture {
        switch ProvinceFixture.shared {
        case .success(let p): return p
        case .failure(let e): throw e
        }
    }
}
