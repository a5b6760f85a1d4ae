/// Horizontal bars: the continuity rate (主要帮扶措施保持延续率) of each county, with the report
/// region's rate as a dashed reference line. The rate's denominator is the households with a main
/// measure active on 1 January (`measureAtStart`), not every household that left poverty.
enum ContinuityChart {
    static func svg(_ data: ReportData) -> String {
        let rows = data.countyRows
        let labelWidth = 150, barWidth = 420, rowHeight = 18, top = 30
        let height = top + rows.count * rowHeight + 30
        var s = SVG(width: labelWidth + barWidth + 60, height: height, title: "各县（市、区）帮扶措施保持延续率")
        s.text("各县（市、区）主要帮扶措施保持延续率", x: 0, y: 14, size: 13, bold: true)
        let x0 = labelWidth
        for tick in stride(from: 0, through: 100, by: 20) {
            let x = x0 + barWidth * tick / 100
            s.line(x1: x, y1: top - 4, x2: x, y2: top + rows.count * rowHeight, stroke: "#ddd")
            s.text("\(tick)%", x: x, y: top + rows.count * rowHeight + 14, size: 10, anchor: "middle", fill: "#555")
        }
        for (i, r) in rows.enumerated() {
            let base = data.count(.measureAtStart, r.code), kept = data.count(.continued, r.code)
            let y = top + i * rowHeight
            s.text(r.name == r.code ? r.code : "\(r.name)", x: x0 - 6, y: y + 12, size: 11, anchor: "end")
            let w = barWidth * Format.perMille(kept, base) / 1000
            s.rect(x: x0, y: y + 3, w: w, h: rowHeight - 6, fill: SVG.palette[0])
            // Values in a column right of the 100% mark: clear of the bars and of the reference line.
            s.text(Format.percent(kept, base), x: x0 + barWidth + 8, y: y + 12, size: 10, fill: "#333")
        }
        let all = data.regions[0].code
        let kept = data.count(.continued, all), base = data.count(.measureAtStart, all)
        let avg = Format.perMille(kept, base)
        if base > 0 {
            let x = x0 + barWidth * avg / 1000
            s.line(x1: x, y1: top - 6, x2: x, y2: top + rows.count * rowHeight, stroke: SVG.palette[3], dash: true)
            s.text("全地区 \(Format.percent(kept, base))", x: x, y: top - 9,
                   size: 10, anchor: "end", fill: SVG.palette[3])
        }
        return s.markup
    }
}
