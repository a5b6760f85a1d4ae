/// Where a service's local sockets live by default: `/run/gonggu`, made by systemd
/// (`RuntimeDirectory=gonggu`, `RuntimeDirectoryMode=0750`, owner gonggu:gonggu), so only the service
/// group may reach the control and publish sockets; the socket files are 0660 (`ServiceHost+Control`).
public enum RuntimeDirectory {
    public static let path = "/run/gonggu"

    /// `ipc:///run/gonggu/SERVICE-control.sock`: the default control endpoint (the CLI's too).
    public static func control(_ service: String) -> String { "ipc://\(path)/\(service)-control.sock" }

    /// `ipc:///run/gonggu/SERVICE-publish.sock`: the default publish endpoint.
    public static func publish(_ service: String) -> String { "ipc://\(path)/\(service)-publish.sock" }
}
