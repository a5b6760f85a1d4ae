/// Lines over the twelve months: monitoring recommended and confirmed, risk elimination recommended
/// and confirmed (households, by the month of the first such event of the year).
enum MonthlyChart {
    static let series: [Indicator] = [.recommended, .included, .eliminationRecommended, .eliminated]
    static let labels = ["建议纳入", "确认纳入", "建议消除", "确认消除"]

    static func svg(_ data: ReportData) -> String {
        let values = series.map { data.monthly($0) }
        let left = 50, plotWidth = 560, plotHeight = 200, top = 44
        var s = SVG(width: left + plotWidth + 20, height: top + plotHeight + 34, title: "防返贫监测：逐月纳入与风险消除")
        s.text("防返贫监测：逐月纳入与风险消除（户）", x: 0, y: 14, size: 13, bold: true)
        s.legend(labels, x: left, y: 32)
        let top2 = s.valueGrid(
            values.flatMap { $0 }.max() ?? 0, left: left, top: top, width: plotWidth, height: plotHeight)
        let dx = plotWidth / 12
        for m in 0..<12 {
            s.text("\(m + 1)月", x: left + dx * m + dx / 2, y: top + plotHeight + 16, size: 10, anchor: "middle",
                   fill: "#555")
        }
        for (k, row) in values.enumerated() {
            let colour = SVG.palette[k]
            let points = row.enumerated().map {
                (left + dx * $0.offset + dx / 2, top + plotHeight - plotHeight * $0.element / top2)
            }
            s.polyline(points, stroke: colour)
            for p in points { s.circle(x: p.0, y: p.1, r: 2, fill: colour) }
        }
        return s.markup
    }
}
