/// One measured figure of a benchmark run, printed as a table row and written to the report.
struct BenchRow {
    /// What was measured, e.g. `log append`.
    let name: String
    /// The figure.
    let value: Double
    /// Its unit, e.g. `events/s`.
    let unit: String
    /// How it was measured (sizes, settings).
    let note: String
}
