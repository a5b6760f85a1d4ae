import Foundation

/// What a process run to completion left: its exit status and its output.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    /// Standard output, with standard error in it unless they were kept apart.
    public var output: String
    /// Standard error when kept apart (`separateErrors`), else "".
    public var errors: String
}

/// Runs `executable` to completion (the tests' and the bench's one way to run a tool or the `gonggu`
/// CLI): `environment` is added to this process's, `directory` is its working folder. Standard error
/// goes into `output` unless `separateErrors`, when it is collected in a file of its own (two pipes
/// could fill and stall the child).
public func runToCompletion(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
    separateErrors: Bool = false
) throws -> ProcessOutcome {
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let pipe = Pipe()
    p.standardOutput = pipe
    var errorFile: String?
    if separateErrors {
        let path = NSTemporaryDirectory() + "gonggu-stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        errorFile = path
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    } else {
        p.standardError = pipe
    }
    defer { if let errorFile { try? FileManager.default.removeItem(atPath: errorFile) } }
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try (p.standardError as? FileHandle)?.close()
    let errors = errorFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
    return ProcessOutcome(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self), errors: errors)
}
