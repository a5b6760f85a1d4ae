import GongguCore

/// CSV files for Excel: UTF-8 with a byte-order mark (so Excel detects the encoding), CRLF line ends,
/// Chinese headers, fields quoted when needed. Resident IDs in case lists are masked.
enum CSVRenderer {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func file(headers: [String], rows: [[String]]) -> [UInt8] {
        var text = line(headers)
        for r in rows { text += line(r) }
        return bom + Array(text.utf8)
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

    static func field(_ s: String) -> String {
        // A leading =, +, - or @ would make Excel evaluate the cell: quote-prefix it.
        var s = s
        if let f = s.first, "=+@".contains(f) || (f == "-" && s.count > 1 && !s.dropFirst().allSatisfy(\.isNumber)) {
            s = "'" + s
        }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    static let caseHeaders = ["指标", "单位", "区划代码", "户编号", "身份证号（脱敏）", "日期", "天数", "说明", "事件编号"]

    /// The case list of one indicator: one line per household, person, finding or notification.
    static func cases(_ indicator: Indicator, _ list: [Case]) -> [UInt8] {
        var text = line(caseHeaders)
        for c in list {
            text += line([
                indicator.label, indicator.unit, c.region, c.householdID, c.personID.map(PersonalDataMask.maskID) ?? "",
                c.date, c.days.map(String.init) ?? "", c.detail, c.events.map(\.description).joined(separator: " "),
            ])
        }
        return bom + Array(text.utf8)
    }

    /// File name of an indicator's case list.
    static func caseFile(_ indicator: Indicator) -> String { "明细-\(indicator.id).csv" }
}
