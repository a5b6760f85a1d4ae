import GongguCore
import GongguEvents
import GongguIntake
import GongguVerify

extension PipelineCheck {
    /// Compares what the *running services* recorded with the ground truth of `directory`: the
    /// events of the intake, verify and risk logs (in log order) and the per-file import summaries
    /// intake replied with. The same categories as the in-process check, so the demo and the
    /// end-to-end test judge the real pipeline by the same yardstick.
    /// `continuity(year, region)` answers the running verifier's continuity figures (`CONTINUITY`).
    public static func compare(
        directory: String, intake: [Event], verify: [Event], risk: [Event],
        imports: [(file: String, kind: String, summary: ImportSummary)],
        continuity: (Int, String) throws -> ContinuitySummary?
    ) throws -> Comparison {
        let truth = try GroundTruth(json: try readAll(directory + "/ground-truth.json"))
        var found = Found()
        for e in intake where e.type == RecordRejected.eventType {
            if let r = try? e.decode(RecordRejected.self) { found.rejected.append("\(r.file):\(r.line):\(r.code)") }
        }
        for e in verify { found.verify(e) }
        found.risk(risk)
        try found.continuity(truth, continuity)
        let files = imports.map { i in
            Comparison.FileResult(file: i.file, kind: i.kind, expected: truth.files.first { $0.file == i.file }, actual: i.summary)
        }
        return Comparison(truth: truth, found: found, files: files)
    }

    /// The 6-digit codes and names of the synthetic province's counties, with their prefectures.
    public static var counties: [(code: String, name: String, prefecture: String, prefectureName: String)] {
        Jilin.counties.map { c in
            (c.code, c.name, c.prefecture, Jilin.prefectures.first { $0.0 == c.prefecture }?.1 ?? c.prefecture)
        }
    }
}

