import GongguEvents

/// `--service NAME` as typed by an operator: a `Service` (among `allowed`), else a usage error (exit 64)
/// in Chinese and English naming the valid services. Returns the name as the endpoints and logs key it.
func parseService(_ text: String, among allowed: [Service] = Service.allCases) throws -> String {
    do {
        return try Service(parsing: text, among: allowed).rawValue
    } catch let e as UnknownServiceName {
        throw UsageError(e.description)
    }
}
