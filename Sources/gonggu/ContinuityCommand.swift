import Foundation
import GongguCore

/// `gonggu continuity --year Y [--region PREFIX] [--out FILE]`: the continuity ledger of the yearly
/// post-assessment (脱贫残疾人家庭主要帮扶措施保持延续情况) from the running verifier, as CSV with Chinese
/// headers (UTF-8 with BOM so Excel opens it), and the rate on stderr.
enum ContinuityCommand {
    static func run(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args)
        guard let year = Int(a.option("year") ?? "") else { throw UsageError("missing --year YYYY") }
        let region = a.option("region", default: "")
        let endpoints = try ServiceEndpoints(configPath: a.option("config"))
        var w = JSONWriter()
        w.beginObject()
        w.field("year", year)
        w.field("region", region)
        w.endObject()
        guard let reply = endpoints.call("verify", "CONTINUITY", body: w.bytes, timeoutMs: 60_000) else {
            throw CommandFailure("the verifier does not answer at \(endpoints.control["verify"] ?? "?")")
        }
        let v = try JSONValue.parse(reply.body)
        guard reply.status == "OK", let csv = v["csv"]?.stringValue else {
            throw CommandFailure(v["message"]?.stringValue ?? "verifier error")
        }
        let bytes = [0xEF, 0xBB, 0xBF] + Array(csv.utf8)
        if let out = a.option("out") {
            FileManager.default.createFile(atPath: out, contents: Data(bytes))
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        let households = v["households"]?.intValue ?? 0, continued = v["allContinued"]?.intValue ?? 0
        let rate = households > 0 ? Double(continued) / Double(households) * 100 : 0
        FileHandle.standardError.write(Data(String(
            format: "%d年 区划%@：脱贫残疾人家庭 %d 户，主要帮扶措施全部延续 %d 户（%.1f%%）\n", year, region.isEmpty ? "全部" : region,
            households, continued, rate).utf8))
        return 0
    }
}
