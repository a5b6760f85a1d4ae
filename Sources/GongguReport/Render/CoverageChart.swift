/// Stacked horizontal bars, one per entitlement: persons receiving (已享) and entitled but not
/// receiving (应享未享), as shares of those entitled, with the coverage rate and counts.
enum CoverageChart {
    static func svg(_ data: ReportData) -> String {
        let code = data.regions[0].code
        let labelWidth = 90, barWidth = 430, rowHeight = 30, top = 44
        let measures = CoverageMeasure.allCases
        var s = SVG(width: labelWidth + barWidth + 170, height: top + measures.count * rowHeight + 10,
                    title: "应享尽享：各项待遇覆盖情况")
        s.text("应享尽享：各项待遇覆盖情况（占应享人数）", x: 0, y: 14, size: 13, bold: true)
        s.legend(["已享", "应享未享"], x: labelWidth, y: 32)
        for (i, m) in measures.enumerated() {
            let entitled = data.count(.entitled(m), code), receiving = data.count(.receiving(m), code)
            let unmet = data.count(.unmet(m), code)
            let y = top + i * rowHeight
            s.text(m.short, x: labelWidth - 6, y: y + 17, size: 11, anchor: "end")
            let w = barWidth * Format.perMille(receiving, entitled) / 1000
            if entitled == 0 {
                s.rect(x: labelWidth, y: y + 5, w: barWidth, h: rowHeight - 10, fill: "#eee")
                s.text("无应享人员", x: labelWidth + 6, y: y + 19, size: 10, fill: "#666")
            } else {
                s.rect(x: labelWidth, y: y + 5, w: w, h: rowHeight - 10, fill: SVG.palette[0])
                s.rect(x: labelWidth + w, y: y + 5, w: barWidth - w, h: rowHeight - 10, fill: SVG.palette[1])
            }
            let counts = "\(Format.grouped(receiving))/\(Format.grouped(entitled))，未享 \(Format.grouped(unmet))"
            s.text("\(Format.percent(receiving, entitled))（\(counts)）",
                   x: labelWidth + barWidth + 6, y: y + 19, size: 10)
        }
        return s.markup
    }
}
