/// The yearly report's page, opened to other pages in the same style (`gonggu rules diff`, `gonggu
/// recipients diff`): the document shell with the report's stylesheet, key-figure boxes, tables and a
/// stacked bar chart drawn with the report's SVG writer. Everything is escaped here; the output is
/// self-contained (no script, no external resource) and depends on its inputs only.
public enum ReportPage {
    /// A whole page: doctype, `zh-CN`, the report's inline stylesheet, `title` as title and heading,
    /// `subtitle` under it, then `body` (already HTML).
    public static func document(title: String, subtitle: String, body: String) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<title>\(Format.escape(title))</title>\n"
        h += "<style>\n\(ReportStyle.css)\n</style>\n</head>\n<body>\n"
        h += "<h1>\(Format.escape(title))</h1>\n"
        h += "<p class=\"subtitle\">\(Format.escape(subtitle))</p>\n"
        return h + body + "</body>\n</html>\n"
    }

    /// Text escaped for HTML element content and attribute values.
    public static func escape(_ s: String) -> String { Format.escape(s) }

    /// An integer with thousands separators.
    public static func grouped(_ n: Int) -> String { Format.grouped(n) }

    /// A row of key-figure boxes (value above its label), as at the top of the report.
    public static func keyFigures(_ figures: [(value: String, label: String)]) -> String {
        "<div class=\"kpis\">"
            + figures.map {
                "<div class=\"kpi\"><div class=\"v\">\(Format.escape($0.value))</div>"
                    + "<div class=\"l\">\(Format.escape($0.label))</div></div>"
            }.joined() + "</div>\n"
    }

    /// A section: heading, an optional explanatory note, then `content` (already HTML).
    public static func section(_ heading: String, note: String? = nil, _ content: String) -> String {
        "<section>\n<h2>\(Format.escape(heading))</h2>\n"
            + (note.map { "<p class=\"note\">\(Format.escape($0))</p>\n" } ?? "") + content + "</section>\n"
    }

    /// A note paragraph in the report's small grey type.
    public static func note(_ text: String) -> String { "<p class=\"note\">\(Format.escape(text))</p>\n" }

    /// A table in the report's style; columns from `numericFrom` on are right-aligned numbers, and rows
    /// listed in `totals` are shown bold as the report's total rows.
    public static func table(
        caption: String, headers: [String], rows: [[String]], numericFrom: Int = Int.max, totals: Set<Int> = []
    ) -> String {
        var h = "<table>\n<caption>\(Format.escape(caption))</caption>\n<thead><tr>"
        h += headers.map { "<th>\(Format.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (i, row) in rows.enumerated() {
            h += totals.contains(i) ? "<tr class=\"d0\">" : "<tr>"
            for (j, cell) in row.enumerated() {
                h += j >= numericFrom ? "<td class=\"n\">" : "<td>"
                h += Format.escape(cell) + "</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    /// A figure holding an SVG chart (never split across printed pages).
    public static func figure(_ svg: String) -> String { HTMLRenderer.figure(svg) }

    /// Horizontal stacked bars, one row per label, one colour per series (the report's palette), each
    /// row's total written after its bar; a legend under the title. For counts by region.
    public static func stackedBars(title: String, series: [String], rows: [(label: String, values: [Int])])
        -> String
    {
        let labelWidth = 150
        let barWidth = 420
        let rowHeight = 26
        let top = 44
        var s = SVG(width: labelWidth + barWidth + 70, height: top + max(1, rows.count) * rowHeight + 10, title: title)
        s.text(title, x: 0, y: 14, size: 13, bold: true)
        s.legend(series, x: labelWidth, y: 32)
        let largest = rows.map { $0.values.reduce(0, +) }.max() ?? 0
        let (scale, _) = SVG.niceScale(largest)
        if rows.isEmpty {
            s.text("无", x: labelWidth + 6, y: top + 17, size: 11, fill: "#666")
        }
        for (i, row) in rows.enumerated() {
            let y = top + i * rowHeight
            s.text(row.label, x: labelWidth - 6, y: y + 17, size: 11, anchor: "end")
            var x = labelWidth
            for (k, v) in row.values.enumerated() where v > 0 {
                // At least one unit wide, so a single case is still visible beside a county of thousands.
                let w = max(2, barWidth * v / scale)
                s.rect(x: x, y: y + 5, w: w, h: rowHeight - 10, fill: SVG.palette[k % SVG.palette.count])
                x += w
            }
            s.text(Format.grouped(row.values.reduce(0, +)), x: x + 6, y: y + 17, size: 10)
        }
        return s.markup
    }
}
