/// Grouped bars over response-time classes: risk feedback acknowledged by the bureau, and answered
/// with a decision, by days after it was sent.
enum ResponseHistogram {
    static func svg(_ data: ReportData) -> String {
        let ack = data.responseHistogram(.feedbackAcknowledged), answer = data.responseHistogram(.feedbackAnswered)
        let left = 50, plotWidth = 560, plotHeight = 180, top = 44
        var s = SVG(width: left + plotWidth + 20, height: top + plotHeight + 34, title: "乡村振兴局响应时间分布")
        s.text("乡村振兴局响应时间分布（件，按发送后天数）", x: 0, y: 14, size: 13, bold: true)
        s.legend(["确认接收", "作出决定"], x: left, y: 32)
        // Feedback not (yet) answered has no response time: say how much, or the bars alone mislead.
        let sent = data.count(.feedbackSent, data.regions[0].code)
        let waiting = "发送 \(Format.grouped(sent)) 件；尚未确认 \(Format.grouped(sent - ack.reduce(0, +))) 件，"
            + "尚未决定 \(Format.grouped(sent - answer.reduce(0, +))) 件"
        s.text(waiting, x: left + plotWidth, y: 32, size: 11, anchor: "end", fill: SVG.palette[3])
        let top2 = s.valueGrid(
            max(ack.max() ?? 0, answer.max() ?? 0), left: left, top: top, width: plotWidth, height: plotHeight)
        let classes = ResponseClass.allCases
        let dx = plotWidth / classes.count, bar = dx * 3 / 8
        for (i, c) in classes.enumerated() {
            let x = left + dx * i + dx / 2
            for (k, series) in [ack, answer].enumerated() {
                let h = plotHeight * series[i] / top2
                let bx = k == 0 ? x - bar : x
                s.rect(x: bx, y: top + plotHeight - h, w: bar - 1, h: h, fill: SVG.palette[k])
                if series[i] > 0 {
                    s.text(Format.grouped(series[i]), x: bx + bar / 2, y: top + plotHeight - h - 3, size: 9,
                           anchor: "middle")
                }
            }
            s.text(c.chinese, x: x, y: top + plotHeight + 16, size: 10, anchor: "middle", fill: "#555")
        }
        return s.markup
    }
}
