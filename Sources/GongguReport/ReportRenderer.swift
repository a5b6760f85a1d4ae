/// One output file of a report.
public struct ReportFile: Sendable, Equatable {
    /// File name inside the output folder.
    public var name: String
    public var bytes: [UInt8]
}

/// Renders a report's data as files: `报告.html`, one CSV per table, one CSV case list per indicator.
public enum ReportRenderer {
    /// Name of the HTML page.
    public static let pageName = "报告.html"

    /// The tables of the report (the same in the page and in the CSV files).
    public static func tables(_ data: ReportData) -> [ReportTable] { ReportTables.all(data) }

    /// Every file of the report, in a fixed order. Pure: the same data gives the same bytes.
    public static func files(_ data: ReportData) -> [ReportFile] {
        let tables = ReportTables.all(data)
        let indicators = Indicator.all
        let caseFiles = indicators.map(CSVRenderer.caseFile)
        let page = HTMLRenderer.page(data, tables: tables, caseFiles: caseFiles)
        var out = [ReportFile(name: pageName, bytes: Array(page.utf8))]
        for t in tables {
            out.append(ReportFile(name: t.file, bytes: CSVRenderer.file(headers: t.headers, rows: t.rows)))
        }
        // The case lists are most of the bytes: rendered on the available cores, kept in order.
        out += inParallel(indicators.count) { k in
            ReportFile(name: caseFiles[k], bytes: CSVRenderer.cases(indicators[k], data.book.cases(indicators[k])))
        }
        return out
    }
}
