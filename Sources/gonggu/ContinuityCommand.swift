import Foundation
import GongguCore
import GongguEvents

/// `gonggu continuity --year Y [--region PREFIX] [--out FILE]`: the continuity ledger of the yearly
/// post-assessment (脱贫残疾人家庭主要帮扶措施保持延续情况) from the running verifier, as CSV with Chinese
/// headers (UTF-8 with BOM so Excel opens it), and the rate on stderr: continued among households with a main
/// measure active on 1 January, households with none on their own line (docs/REPORT.md).
enum ContinuityCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args)
        guard let year = Int(a.option("year") ?? "") else { throw UsageError("missing --year YYYY") }
        let region = a.option("region", default: "")
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        var w = JSONWriter()
        w.beginObject()
        w.field("year", year)
        w.field("region", region)
        w.endObject()
        guard let reply = endpoints.call(Service.verify.rawValue, "CONTINUITY", body: w.bytes, timeoutMs: 60_000) else {
            throw CommandFailure("the verifier does not answer at \(endpoints.control[Service.verify.rawValue] ?? "?")")
        }
        let v = try JSONValue.parse(reply.body)
        guard reply.status == "OK", let csv = v["csv"]?.stringValue else {
            throw CommandFailure(v["message"]?.stringValue ?? "verifier error")
        }
        let bytes = [0xEF, 0xBB, 0xBF] + Array(csv.utf8)
        if let out = a.option("out") {
            // Resident IDs are masked by the verifier; the file is still personal data: 0640.
            guard PersonalDataOutput.write(Data(bytes), to: out) else {
                throw CommandFailure("cannot write \(out)", exit: .cantCreate)
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        // The rate's denominator is the households with a main measure active on 1 January (docs/REPORT.md);
        // those with none are shown on their own line, never as continued.
        let households = v["households"]?.intValue ?? 0, continued = v["allContinued"]?.intValue ?? 0
        let none = v["noMeasure"]?.intValue ?? 0, lifted = v["lifted"]?.intValue ?? households + none
        let rate = households > 0 ? String(format: "%.1f%%", Double(continued) / Double(households) * 100) : "—"
        FileHandle.standardError.write(Data(String(
            format: "%d年 区划%@：脱贫残疾人家庭 %d 户；年初在享主要帮扶措施 %d 户，其中全部延续 %d 户（保持延续率 %@）；"
                + "年初无在享主要帮扶措施 %d 户（不计入延续率）\n",
            year, region.isEmpty ? "全部" : region, lifted, households, continued, rate, none).utf8))
        return .success
    }
}
