import GongguCore
import GongguEvents
import GongguIntake

/// Seeded versus found, per category, and the record counts per file.
public struct Comparison: Sendable {
    /// One category of expected results.
    public struct Category: Sendable, Equatable {
        /// Stable English key (`rejected`, `EntitlementGap`, …).
        public var name: String
        public var chinese: String
        /// Expected keys (sorted, unique).
        public var seeded: [String]
        /// Keys produced by the pipeline (sorted, unique).
        public var found: [String]
        public var missing: [String]
        public var unexpected: [String]

        init(_ name: String, _ chinese: String, seeded: [String], found: [String]) {
            self.name = name
            self.chinese = chinese
            self.seeded = Array(Set(seeded)).sorted()
            self.found = Array(Set(found)).sorted()
            let s = Set(seeded), f = Set(found)
            missing = self.seeded.filter { !f.contains($0) }
            unexpected = self.found.filter { !s.contains($0) }
        }

        public var isExact: Bool { missing.isEmpty && unexpected.isEmpty }
    }

    /// Counts of one file: expected from the ground truth, actual from the reader.
    public struct FileResult: Sendable, Equatable {
        public var file: String
        public var kind: String
        public var expected: GroundTruth.FileCount?
        public var actual: ImportSummary

        /// Read = accepted + duplicate + rejected, and every count as expected.
        public var isExact: Bool {
            guard let e = expected, actual.isBalanced else { return false }
            return e.read == actual.read && e.accepted == actual.accepted && e.duplicate == actual.duplicate
                && e.rejected == actual.rejected
        }
    }

    /// Seeded versus found for one seed case (`SeedCase`): every expectation of its households.
    public struct SeedRow: Sendable, Equatable {
        public var seedCase: String
        public var chinese: String
        /// Expectations written to the ground truth (findings, recommendations, households to stay silent).
        public var expected: Int
        /// Of those, the ones the pipeline met (a finding or recommendation found; a silent household silent).
        public var met: Int

        public var isExact: Bool { expected == met }
    }

    public var categories: [Category]
    /// One row per seed case, in `SeedCase` order.
    public var seedRows: [SeedRow]
    public var files: [FileResult]
    /// Follow-up outputs not compared with the ground truth (consequences of the seeded
    /// recommendations): `RecommendationOverdue` and `RiskAssessed` counts.
    public var overdueReminders: Int
    public var riskAssessments: Int

    init(truth: GroundTruth, found: Found, files: [FileResult]) {
        func ids(_ type: String) -> [String] { truth.findings.filter { $0.type == type }.map(\.findingID) }
        let silent = truth.mustNotBeFound.map(\.householdID)
        let monitoringSet = Set(found.monitoring)
        let spoken = silent.filter { found.findingHouseholds.contains($0) || monitoringSet.contains($0) }
        categories = [
            Category("rejected", "退回记录", seeded: truth.rejected.map { "\($0.file):\($0.line):\($0.code)" },
                     found: found.rejected),
            Category(EntitlementGap.eventType, "应享未享", seeded: ids(EntitlementGap.eventType), found: found.gaps),
            Category(AssistanceDiscontinued.eventType, "帮扶措施中断", seeded: ids(AssistanceDiscontinued.eventType),
                     found: found.discontinued),
            Category(PaymentAnomaly.eventType, "发放异常", seeded: ids(PaymentAnomaly.eventType), found: found.anomalies),
            Category(FindingResolved.eventType, "问题已解决", seeded: [], found: found.resolved),
            Category(MonitoringRecommended.eventType, "建议纳入监测", seeded: truth.monitoringRecommended.map(\.householdID),
                     found: found.monitoring),
            Category(RiskEliminationRecommended.eventType, "建议风险消除", seeded: [], found: found.elimination),
            Category(MonitoringWithoutAssistance.eventType, "监测户未落实帮扶", seeded: [], found: found.withoutAssistance),
            Category("mustNotBeFound", "有正当理由停发（不应发现）", seeded: [], found: spoken),
            Category("ContinuityOwnLine", "年初无在享主要帮扶措施（不计入延续率）",
                     seeded: truth.continuityOwnLine.map(\.householdID), found: found.continuityOwnLine),
        ]
        let foundIDs = Set(found.gaps + found.discontinued + found.anomalies)
        let spokenSet = Set(spoken), withoutAssistance = Set(found.withoutAssistance)
        seedRows = SeedCase.allCases.map { c in
            let findings = truth.findings.filter { $0.seedCase == c.rawValue }
            let monitoring = truth.monitoringRecommended.filter { $0.seedCase == c.rawValue }
            let silent = truth.mustNotBeFound.filter { $0.seedCase == c.rawValue }
            let ownLine = truth.continuityOwnLine.filter { $0.seedCase == c.rawValue }
            let met = findings.filter { foundIDs.contains($0.findingID) }.count
                + monitoring.filter { monitoringSet.contains($0.householdID) }.count
                + silent.filter { !spokenSet.contains($0.householdID) && !withoutAssistance.contains($0.householdID) }.count
                + ownLine.filter { found.continuityOwnLine.contains($0.householdID) }.count
            return SeedRow(seedCase: c.rawValue, chinese: c.chinese,
                           expected: findings.count + monitoring.count + silent.count + ownLine.count, met: met)
        }
        self.files = files
        overdueReminders = found.overdue
        riskAssessments = found.assessed
    }

    /// Zero differences: every category exact and every file's counts as expected.
    public var isExact: Bool {
        categories.allSatisfy(\.isExact) && seedRows.allSatisfy(\.isExact) && files.allSatisfy(\.isExact)
    }

    /// A plain-text table, Chinese and English headings, for staff and for test output.
    public var table: String {
        var lines: [String] = []
        lines.append("类别 Category | 预置 seeded | 发现 found | 遗漏 missing | 多余 unexpected")
        for c in categories {
            let counts = [c.seeded.count, c.found.count, c.missing.count, c.unexpected.count].map(String.init)
            lines.append("\(c.chinese) \(c.name) | " + counts.joined(separator: " | "))
        }
        lines.append("")
        lines.append("预置案例 Seed case | 说明 | 预期 expected | 符合 met")
        for r in seedRows {
            lines.append("\(r.seedCase) | \(r.chinese) | \(r.expected) | \(r.met)\(r.isExact ? "" : " ✗")")
        }
        lines.append("")
        lines.append("文件 File | 读取 read | 接收 accepted | 重复 duplicate | 退回 rejected | 预期 expected")
        for f in files {
            let a = f.actual
            let e = f.expected.map { "\($0.read)/\($0.accepted)/\($0.duplicate)/\($0.rejected)" } ?? "—"
            let counts = [a.read, a.accepted, a.duplicate, a.rejected].map(String.init)
            lines.append("\(f.file) | " + counts.joined(separator: " | ") + " | \(e)\(f.isExact ? "" : " ✗")")
        }
        lines.append("")
        lines.append("逾期提醒 overdue reminders: \(overdueReminders); 风险评估 risk assessments: \(riskAssessments)")
        for c in categories where !c.isExact {
            // Keys may hold resident IDs (finding ids): masked.
            for m in c.missing.prefix(20) {
                lines.append("遗漏 missing \(c.name): \(PersonalDataMask.maskText(m))")
            }
            for u in c.unexpected.prefix(20) {
                lines.append("多余 unexpected \(c.name): \(PersonalDataMask.maskText(u))")
            }
        }
        lines.append(isExact ? "结果：完全一致 (exact)" : "结果：存在差异 (differences)")
        return lines.joined(separator: "\n")
    }
}
