/// A small SVG writer: the charts draw with it so every chart is plain, closed SVG markup with no
/// external resource (fonts come from the page's CSS).
struct SVG {
    private(set) var body = ""
    let width: Int
    let height: Int
    let title: String

    /// Series colours, chosen to stay distinct when printed in grey.
    static let palette = ["#1f5fa8", "#d9822b", "#3a9a5b", "#b23a48", "#6b4ea0"]

    init(width: Int, height: Int, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    mutating func rect(x: Int, y: Int, w: Int, h: Int, fill: String) {
        body += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(max(0, w))\" height=\"\(max(0, h))\" fill=\"\(fill)\"/>"
    }

    mutating func line(
        x1: Int, y1: Int, x2: Int, y2: Int, stroke: String = "#999", width: Int = 1, dash: Bool = false
    ) {
        body += "<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"\(stroke)\""
            + " stroke-width=\"\(width)\""
            + (dash ? " stroke-dasharray=\"4 3\"" : "") + "/>"
    }

    /// Text; `anchor` is start, middle or end.
    mutating func text(_ s: String, x: Int, y: Int, size: Int = 11, anchor: String = "start", fill: String = "#222",
                       bold: Bool = false) {
        body += "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
            + (bold ? " font-weight=\"bold\"" : "") + ">\(Format.escape(s))</text>"
    }

    mutating func polyline(_ points: [(Int, Int)], stroke: String) {
        let p = points.map { "\($0.0),\($0.1)" }.joined(separator: " ")
        body += "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\"/>"
    }

    mutating func circle(x: Int, y: Int, r: Int, fill: String) {
        body += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(r)\" fill=\"\(fill)\"/>"
    }

    /// A legend row of coloured squares and labels starting at (x, y).
    mutating func legend(_ labels: [String], x: Int, y: Int) {
        var cx = x
        for (i, l) in labels.enumerated() {
            rect(x: cx, y: y - 9, w: 10, h: 10, fill: Self.palette[i % Self.palette.count])
            text(l, x: cx + 14, y: y, size: 11)
            cx += 24 + l.count * 12
        }
    }

    /// The finished element: sized by viewBox so it scales to the page width.
    var markup: String {
        "<svg viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" "
            + "height=\"\(height)\" role=\"img\" aria-label=\"\(Format.escape(title))\">"
            + "<title>\(Format.escape(title))</title>"
            + body + "</svg>"
    }

    /// A "nice" axis maximum ≥ `value` in at most 5 steps of 1, 2 or 5 × 10ⁿ, and that step.
    static func niceScale(_ value: Int) -> (max: Int, step: Int) {
        guard value > 0 else { return (4, 1) }
        let multipliers = [1, 2, 5]
        var step = 1, k = 0, power = 1
        while (value + step - 1) / step > 5 {
            k += 1
            if k % 3 == 0 { power *= 10 }
            step = multipliers[k % 3] * power
        }
        return ((value + step - 1) / step * step, step)
    }

    /// Horizontal grid lines with their labels on a nice scale up to `largest` (`niceScale`), for a plot
    /// whose area starts at (`left`, `top`); returns the scale's maximum.
    mutating func valueGrid(_ largest: Int, left: Int, top: Int, width: Int, height: Int) -> Int {
        let (maximum, step) = Self.niceScale(largest)
        var v = 0
        while v <= maximum {
            let y = top + height - height * v / maximum
            line(x1: left, y1: y, x2: left + width, y2: y, stroke: v == 0 ? "#888" : "#e2e2e2")
            text(Format.grouped(v), x: left - 6, y: y + 4, size: 10, anchor: "end", fill: "#555")
            v += step
        }
        return maximum
    }
}
