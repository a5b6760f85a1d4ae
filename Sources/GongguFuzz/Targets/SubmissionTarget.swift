import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguIntakeService
import GongguRooms
import GongguRuntime
import GongguServices
import GongguTransport

/// The intake submission endpoint as a field app reaches it: a real intake service (its log in a
/// temporary folder) runs inside the fuzzing process, and every input is sent as a `SUBMIT` frame over
/// CURVE by an admitted client. The reply must be `OK` with balanced per-record outcomes or `ERROR`
/// with a code — and the service must still answer the next input.
///
/// Input layout: byte 0 picks the command (`SUBMIT` unless its low three bits are all set, then an
/// unknown command), the rest is the body.
enum SubmissionTarget {
    static let service = InProcessIntake()

    static let target = FuzzTarget(
        name: "submission", summary: "SUBMIT frames to a live intake service over CURVE",
        dictionary: Tokens.utf8([
            "{\"kind\":\"visit\",\"records\":[", "]}", "\"kind\"", "\"records\"", "\"visit\"", "\"subsidy\"",
            "\"survey\"", "\"走访探视\"", "\"householdID\"", "\"region\"", "\"date\"", "\"visitor\"", "\"hardship\"",
            "\"selfApplication\"", "\"personID\"", "\"month\"", "\"amount\"", "\"222401101201\"",
        ]) + Tokens.json + Tokens.numbers + Tokens.ids,
        setUp: { try service.start() }, tearDown: { service.removeFolder() }
    ) { input in
        guard let selector = input.first else { return false }
        let command = selector & 7 == 7 ? "SUBMIT_OTHER" : "SUBMIT"
        let reply: (status: String, body: [UInt8], extra: [[UInt8]])
        do {
            reply = try service.call(command, body: Array(input.dropFirst()))
        } catch {
            FuzzCheck.require(false, "the intake service did not answer: \(error)")
            return false
        }
        let body = try? JSONValue.parse(reply.body)
        FuzzCheck.require(body != nil, "reply body is not JSON")
        switch reply.status {
        case "OK":
            let n = { (key: String) in body?[key]?.intValue ?? -1 }
            let balanced = n("read") == n("accepted") + n("duplicate") + n("rejected")
            FuzzCheck.require(balanced, "unbalanced submission reply")
            FuzzCheck.require(body?["results"]?.arrayValue?.count == n("read"), "one result per record")
            return true
        case "ERROR":
            FuzzCheck.require(body?["code"]?.stringValue?.isEmpty == false, "error reply without a code")
            return false
        default:
            FuzzCheck.require(false, "unexpected reply status \(reply.status)")
            return false
        }
    }
}

/// An intake service with its submission endpoint on `ipc://`, started once per fuzzing process.
final class InProcessIntake: @unchecked Sendable {
    private var client: CommandClient?
    private var host: ServiceHost?
    private var folder: String?

    /// Removes the service's folder (the running service keeps its open files until the process ends).
    func removeFolder() {
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    func start() throws {
        guard client == nil else { return }
        let folder = NSTemporaryDirectory() + "gonggu-fuzz-submission-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.folder = folder
        let server = try CurveKeyPair.generate()
        let app = try CurveKeyPair.generate()
        try KeyFiles.write(server, name: Service.intake.rawValue, directory: folder)
        let endpoint = "ipc://\(folder)/submit"
        let kinds = RecordKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        let root = try JSONValue.parse(
            """
            {"data": {"directory": "\(folder)"}, "log": {"synchronous": "off", "level": "error"},
             "endpoints": {"publish": "ipc://\(folder)/pub", "control": "ipc://\(folder)/control"},
             "submission": {"endpoint": "\(endpoint)", "server_key_file": "\(folder)/intake.key",
               "clients": [{"name": "field-app", "public_key": "\(app.publicKey)",
                            "kinds": [\(kinds)], "region_prefix": "22"}]}}
            """)
        let config = Config(root: root, environment: [:])
        let settings = try ServiceSettings(service: Service.intake.rawValue, config: config)
        let host = ServiceHost(
            settings: settings, behaviour: try IntakeBehaviour(config: config),
            logger: Logger(label: "gonggu-intake", minimumLevel: .error))
        // The host is started and run on its own loop thread, as a service main does.
        let started = DispatchSemaphore(value: 0)
        let failure = Box()
        let thread = Thread {
            do {
                try host.start()
            } catch {
                failure.error = error
                started.signal()
                return
            }
            started.signal()
            do { try host.run() } catch { FuzzCheck.require(false, "the intake service stopped: \(error)") }
        }
        thread.name = "fuzz-intake"
        thread.start()
        started.wait()
        if let error = failure.error { throw error }
        self.host = host
        client = CommandClient(
            stream: Service.intake.rawValue, endpoint: endpoint, timeoutMs: 10_000, curve: (app, server.publicKey))
    }

    func call(_ command: String, body: [UInt8]) throws -> (status: String, body: [UInt8], extra: [[UInt8]]) {
        guard let client else { throw FuzzError("the in-process intake service is not started") }
        return try client.call(command, body: body)
    }
}

private final class Box: @unchecked Sendable {
    var error: Error?
}
