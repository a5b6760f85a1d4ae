/// The four services. Raw values are the names on the wire and in configuration: the stream a
/// service's log and topics carry (`InputConsumed.stream`, `_HB/<service>`), its config and unit
/// names, `<dir>/<service>.log.sqlite`. They never change. Cases are in pipeline order (intake,
/// verify, risk, notify).
///
/// This is the one place a service name is written as text (GongguArchitectureTests,
/// `NameLiteralTests`, fails on a literal elsewhere in the sources). The runtime itself still knows
/// no service by name: it takes the names from the topology (GongguRooms) as strings.
public enum Service: String, Sendable, CaseIterable {
    case intake = "intake"
    case verify = "verify"
    case risk = "risk"
    case notify = "notify"

    /// Reads a service name a person typed (`--service notify`); `allowed` narrows the choice
    /// (`gonggu rules` takes risk or verify only).
    public init(parsing text: String, among allowed: [Service] = Service.allCases) throws {
        guard let s = Service(rawValue: text), allowed.contains(s) else {
            throw UnknownServiceName(name: text, allowed: allowed)
        }
        self = s
    }
}

/// A service name that is none of the allowed ones: the message (Chinese, English key beside it)
/// lists the valid names.
public struct UnknownServiceName: Error, Equatable, CustomStringConvertible {
    public var name: String
    public var allowed: [Service]

    public init(name: String, allowed: [Service]) {
        self.name = name
        self.allowed = allowed
    }

    public var description: String {
        let names = allowed.map(\.rawValue)
        return "未知的服务“\(name)”，可选：\(names.joined(separator: "、")) / unknown service '\(name)' "
            + "(one of \(names.joined(separator: ", ")))"
    }
}
