#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GongguCore
import GongguIntake

/// A synthetic Jilin province as its offices would send it: one file per record kind (survey in
/// GB18030, civil affairs in UTF-8 with BOM, the rest UTF-8 CSV or JSON Lines), a `manifest.json`
/// with the import order and reference date, and a `ground-truth.json` of the seeded cases.
/// Deterministic: the same households and seed always give the same bytes.
///
/// ```swift
/// let truth = try Simulator(households: 20_000, seed: 7).write(to: "/tmp/province")
/// let comparison = try PipelineCheck.run(directory: "/tmp/province")
/// print(comparison.table); comparison.isExact
/// ```
public struct Simulator: Sendable {
    public let households: Int
    public let seed: UInt64

    /// Business date of the assessment: the `ClockTicked` the demo sends after importing.
    public static let referenceDate = Period.referenceDate

    /// Households per repetition of the seeded cases: one full set per this many households.
    public static let householdsPerCaseSet = 5000

    /// Smallest province `write(to:)` accepts: the seeded cases take one household in eight at this
    /// size and must stay few.
    public static let minimumHouseholds = 200

    public init(households: Int, seed: UInt64) {
        self.households = households
        self.seed = seed
    }

    /// The seeded cases at household indices, ascending.
    var plan: [(index: Int, seedCase: SeedCase)] {
        let cases = SeedCase.allCases
        let total = cases.count * max(1, households / Self.householdsPerCaseSet)
        let step = households / total
        return (0..<total).map { j in (j * step + step / 2, cases[j % cases.count]) }
    }

    /// Writes the province into `directory` (created if needed) and returns the ground truth written.
    /// Throws `SimulationError` when the directory or a file cannot be written, or when `households` is
    /// below `minimumHouseholds`.
    /// With `format: .xlsx` every CSV file is written as a workbook instead (same rows; the ground
    /// truth names the workbooks and their row numbers).
    @discardableResult
    public func write(to directory: String, format: SimulatedFormat = .csv) throws -> GroundTruth {
        guard households >= Self.minimumHouseholds else {
            throw SimulationError("a simulated province needs at least \(Self.minimumHouseholds) households")
        }
        try Self.makeDirectory(directory)
        let files = try FileSet(directory: directory)
        var writer = RowWriter(files: files)
        var population = Population(seed: seed)
        var truth = GroundTruth(seed: seed, households: households, referenceDate: Self.referenceDate)
        let plan = self.plan
        var next = 0
        for i in 0..<households {
            var h = population.household(i)
            if next < plan.count, plan[next].index == i {
                let c = plan[next].seedCase
                next += 1
                for e in c.apply(&h, &population) {
                    switch e {
                    case let .finding(type, id):
                        truth.findings.append(.init(type: type, findingID: id, householdID: h.id, seedCase: c.rawValue))
                    case .monitoring:
                        truth.monitoringRecommended.append(.init(householdID: h.id, seedCase: c.rawValue))
                    case .nothing:
                        truth.mustNotBeFound.append(.init(householdID: h.id, seedCase: c.rawValue))
                    case .continuityOwnLine:
                        truth.continuityOwnLine.append(.init(householdID: h.id, seedCase: c.rawValue))
                    }
                }
            }
            writer.write(h)
        }

        Self.writeDocuments(files.sink(.document))
        var bad = BadRows(population: population, writer: writer, files: files, firstIndex: households)
        bad.writeFileRows(&truth)
        // One exact duplicate of a pay-roll row (intake counts it as a duplicate) and a bad amount.
        let july = Int32(monthOf(2024, 7))
        if let k = writer.payees.firstIndex(where: { $0.from <= july && july <= $0.to }) {
            writer.payees[k].exactDuplicateMonth = july
        }
        writer.writePayRoll { m in
            if m == monthOf(2024, 6) { bad.subsidyRow(&truth) }
        }
        try files.close()
        if format == .xlsx {
            for f in Self.files where f.name.hasSuffix(".csv") {
                let rowOf = try Self.convertToWorkbook(
                    directory: directory, name: f.name, encoding: f.encoding, sheet: f.kind.rawValue)
                let name = Self.fileName(f, format: .xlsx)
                for k in truth.rejected.indices where truth.rejected[k].file == f.name {
                    truth.rejected[k].file = name
                    truth.rejected[k].line = rowOf[truth.rejected[k].line] ?? truth.rejected[k].line
                }
            }
        }

        for (i, f) in Self.files.enumerated() {
            let s = files.sinks[i]
            let rej = files.rejectedRows[i], dup = files.duplicateRows[i]
            truth.files.append(.init(
                file: Self.fileName(f, format: format), kind: f.kind.rawValue, read: s.records, accepted: s.records - rej - dup, duplicate: dup,
                rejected: rej))
        }
        try Self.writeFile(directory + "/ground-truth.json", truth.json)
        try Self.writeFile(directory + "/manifest.json", manifest(format: format))
        return truth
    }

    /// `manifest.json` of the CSV files.
    public var manifest: [UInt8] { manifest(format: .csv) }

    /// `manifest.json`: files in import order with kind, format, encoding and office, and the reference date.
    public func manifest(format: SimulatedFormat) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.field("generator", "GongguSimulation")
        w.key("seed"); w.string("\(seed)")
        w.field("households", households)
        w.field("referenceDate", Self.referenceDate)
        w.objects("files", Self.files) { w, f in
            let name = Self.fileName(f, format: format)
            w.field("file", name)
            w.field("kind", f.kind.rawValue)
            w.field("format", RecordFormat.guess(fileName: name).rawValue)
            w.field("encoding", name.hasSuffix(".xlsx") ? "utf8" : f.encoding.rawValue)
            w.field("office", f.office)
        }
        w.field("groundTruth", "ground-truth.json")
        w.endObject()
        var bytes = w.bytes
        bytes.append(10)
        return bytes
    }

    /// Province and county policy documents and project files (archived with their SHA-256).
    static func writeDocuments(_ s: FileSink) {
        let docs: [(String, String, String, Int, String?, String)] = [
            ("JCL-2021-001", "政策文件", "关于巩固拓展残疾人脱贫攻坚成果同乡村振兴有效衔接的实施意见", dayOf(2021, 6, 18), nil, "22"),
            ("JCL-2022-014", "政策文件", "吉林省困难残疾人生活补贴和重度残疾人护理补贴实施办法", dayOf(2022, 3, 9), nil, "22"),
            ("JCL-2023-007", "政策文件", "关于做好防止返贫动态监测和帮扶工作的通知", dayOf(2023, 4, 12), nil, "22"),
            ("JCL-2024-021", "政策文件", "残疾儿童康复救助工作规范", dayOf(2024, 2, 26), nil, "2201"),
            ("XM-2024-0312", "项目档案", "农安县重度残疾人家庭无障碍改造项目实施方案", dayOf(2024, 5, 20), "实施", "220122"),
            ("XM-2025-0108", "项目档案", "敦化市残疾人实用技术培训项目资金拨付", dayOf(2025, 7, 3), "资金", "222403"),
        ]
        for (id, category, title, day, stage, region) in docs {
            s.field(id, first: true)
            s.field(category)
            s.field(title)
            s.date(day)
            s.field(stage ?? "")
            s.field(SHA256.hash(id + "|" + title).hexString)
            s.field(region)
            s.endRecord()
        }
    }

    static func makeDirectory(_ path: String) throws {
        var partial = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            partial += "/" + part
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw SimulationError("cannot create directory \(partial): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard let f = fopen(path, "wb") else { throw SimulationError("cannot create \(path)") }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        guard fclose(f) == 0, n == bytes.count else { throw SimulationError("cannot write \(path)") }
    }
}
