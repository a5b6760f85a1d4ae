import Foundation
import GongguCore
import GongguEvents
import GongguInvestigation
import GongguRisk
import GongguRuntime
import GongguStore

/// A simulated province written straight into logs for the what-if tests: lifted households with a
/// severely disabled member (2021) and one 2025 income assessment each, at chosen per-capita incomes
/// around the monitoring line, in four counties of two prefectures. The intake log holds the facts;
/// the risk log holds the risk fold's outputs over them with the `InputConsumed` markers a service
/// writes, in two batches recorded an hour apart (for `--asof`).
struct BandProvince {
    struct Household {
        var id: String
        var region: String
        var perCapita: Int
        /// In the first batch (recorded at `firstRecorded`) or the second.
        var firstBatch: Bool
    }

    static let counties = ["220102", "220183", "220281", "220282"]
    /// Per-capita incomes (fen) of each county's households, around the 2025 line (7,600 yuan) and a
    /// line 200 yuan higher: far below, one fen below the old line, exactly at the old line, inside
    /// the band, one fen below the new line, exactly at the new line, one fen above it, far above.
    static func incomes(county k: Int) -> [Int] {
        [500_000, 759_999, 760_000, 760_001, 765_000 + 3_000 * k, 779_999, 780_000, 780_001, 1_200_000]
    }

    let directory: String
    private(set) var households: [Household] = []
    /// recordedAt of the first and second batch.
    let firstRecorded: Timestamp
    let secondRecorded: Timestamp

    init() throws {
        directory = NSTemporaryDirectory() + "band-province-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        firstRecorded = Timestamp(Date().timeIntervalSince1970 * 1000) - 7_200_000
        secondRecorded = firstRecorded + 3_600_000
        for (k, county) in Self.counties.enumerated() {
            for (i, income) in Self.incomes(county: k).enumerated() {
                households.append(
                    Household(
                        id: "H\(county)-\(i)", region: "\(county)001001", perCapita: income, firstBatch: i % 2 == 0))
            }
        }
        let intake = try EventLog(path: "\(directory)/intake.log.sqlite", stream: "intake", synchronous: .off)
        let riskLog = try EventLog(path: "\(directory)/risk.log.sqlite", stream: "risk", synchronous: .off)
        var risk = try RiskFold()
        for (batch, at) in [(true, firstRecorded), (false, secondRecorded)] {
            var facts: [Event] = []
            for (n, h) in households.enumerated() where h.firstBatch == batch {
                facts += Self.facts(h, index: n)
            }
            let recorded = try intake.append(facts, recordedAt: at)
            var out: [Event] = []
            for e in recorded { out += risk.apply(e) }
            var marker = Event(
                InputConsumed(stream: "intake", after: recorded.first!.seq - 1, through: recorded.last!.seq),
                id: EventID.derived("band|risk|consumed|\(recorded.last!.seq)"), subject: "intake", region: "",
                occurredAt: recorded.last!.occurredAt)
            marker.causation = recorded.last!.id
            try riskLog.append(out + [marker], recordedAt: at + 1000)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func logs() throws -> LogSet { try LogSet(paths: [directory]) }

    private static func facts(_ h: Household, index n: Int) -> [Event] {
        let source = SourceRef(file: "band.csv", line: n + 2)
        let person = residentID(h.region.prefix(6) + "19700101" + String(format: "%03d", n % 1000))
        func event<P: EventPayload>(_ p: P, _ label: String, _ date: String) -> Event {
            Event(
                p, id: EventID.derived("band|\(h.id)|\(label)"), subject: h.id, region: h.region,
                occurredAt: BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(date)!) + 9 * 3_600_000)
        }
        return [
            event(
                HouseholdStatusRecorded(
                    householdID: h.id, status: .lifted, effectiveDate: "2021-01-01", source: source),
                "status", "2021-01-01"),
            event(
                DisabilityRecorded(
                    personID: person, householdID: h.id, name: "测试", birthDate: "1970-01-01", gender: "M",
                    cardNumber: person + "42", category: .physical, grade: 2, labour: .full, surveyYear: 2021,
                    source: source), "disability", "2021-03-01"),
            event(
                IncomeAssessed(
                    householdID: h.id, year: 2025, netIncomeFen: h.perCapita * 2, members: 2,
                    assessedDate: "2025-12-20", source: source), "income", "2025-12-20"),
        ]
    }

    /// A resident ID with a valid GB 11643 check character.
    static func residentID(_ body17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body17.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    /// The risk document in force (built in) with a 2025 line of `fen` from 2025-01-01 on.
    static func line(_ fen: Int, version: String) throws -> RuleDocument {
        try RuleDocument(
            text: RiskRules.defaultDocument
                .replacingOccurrences(of: "\"version\": \"2025.1\"", with: "\"version\": \"\(version)\"")
                .replacingOccurrences(
                    of: "\"effectiveFrom\": \"2021-01-01\"", with: "\"effectiveFrom\": \"2025-01-01\""
                )
                .replacingOccurrences(of: "\"2025\": 760000", with: "\"2025\": \(fen)"))
    }
}
