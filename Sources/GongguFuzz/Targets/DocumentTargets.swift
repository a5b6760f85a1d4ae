import Foundation
import GongguCore
import GongguEvents
import GongguIntakeService
import GongguNotify
import GongguRisk
import GongguRooms
import GongguRuntime
import GongguServices
import GongguTransport
import GongguVerify

/// Documents staff edit by hand: rule documents (envelope, risk and verify rules, region overrides)
/// and configuration files (service settings, submission clients, the recipient directory).
enum DocumentTargets {
    static let all: [FuzzTarget] = [rules, config]

    static let ruleTokens = Tokens.utf8([
        "\"ruleSet\"", "\"risk\"", "\"verify\"", "\"version\"", "\"effectiveFrom\"", "\"defaults\"", "\"regions\"",
        "\"2201\"", "\"220102\"", "\"220102001001\"", "\"2021-01-01\"", "\"2024-02-30\"", "\"monitoringLineFen\"",
    ])

    /// The text goes to the risk and the verify validation (each refuses the other's rule set), and a
    /// document both envelope and rules accept is looked up for a few regions and days.
    static let rules = FuzzTarget(
        name: "rules", summary: "rule documents: RuleDocument, RiskRules.validate, VerifyRules.validate",
        dictionary: ruleTokens + Tokens.json + Tokens.numbers
    ) { input in
        let text = String(decoding: input, as: UTF8.self)
        var accepted = false
        for ruleSet in [Service.risk, .verify].map(\.rawValue) {
            do {
                if ruleSet == Service.risk.rawValue {
                    try RiskRules.validate(document: text)
                } else {
                    try VerifyRules.validate(document: text)
                }
                accepted = true
                let document = try RuleDocument(text: text)
                for region in ["", "22", "2201", "220102001001", "999999999999"] { _ = document.merged(for: region) }
                if ruleSet == Service.risk.rawValue {
                    var book = RiskRules.makeBook()
                    try book.activate(document)
                    for day in [0, 20_000, Int(Int32.max)] { _ = book.rules(region: "220102001001", day: day) }
                } else {
                    var book = RuleBook<VerifyRules>(ruleSet: VerifyRules.ruleSet, decode: VerifyRules.decode)
                    try book.activate(document)
                    for day in [0, 20_000, Int(Int32.max)] { _ = book.rules(region: "220102001001", day: day) }
                }
            } catch {
                FuzzCheck.require(!"\(error)".isEmpty, "rule error without a description")
            }
        }
        return accepted
    }

    static let configTokens = Tokens.utf8([
        "\"data\"", "\"directory\"", "\"log\"", "\"path\"", "\"synchronous\"", "\"full\"", "\"level\"", "\"endpoints\"",
        "\"publish\"", "\"control\"", "\"heartbeat\"", "\"milliseconds\"", "\"upstreams\"", "\"upstream\"",
        "\"read_file\"", "\"submission\"", "\"clients\"", "\"name\"", "\"public_key\"", "\"kinds\"",
        "\"region_prefix\"", "\"max_body_bytes\"", "\"max_records\"", "\"recipients\"", "\"escalation\"",
        "\"afterDays\"", "\"publicKey\"", "\"region\"", "\"escalateTo\"", "\"revoked\"", "\"intake\"",
        "\"tcp://127.0.0.1:7101\"", "\"rB*wAS(FGvtV$4yTXmT#4<1ZfjR5[2Dmv3-d+Y4.\"",
    ])

    /// Byte 0 picks what the file is: a service configuration (loaded from a real file as the services
    /// do, then read into the settings of every service and the submission policy) or a recipient
    /// directory.
    static let configFile = ScratchPath(label: "config")
    static let config = FuzzTarget(
        name: "config", summary: "configuration files: Config, ServiceSettings, SubmissionPolicy, RecipientDirectory",
        dictionary: configTokens + Tokens.json + Tokens.numbers, setUp: { try configFile.create() },
        tearDown: { configFile.remove() }
    ) { input in
        guard let selector = input.first else { return false }
        let body = Array(input.dropFirst())
        if selector & 1 == 1 {
            do {
                let directory = try RecipientDirectory(text: String(decoding: body, as: UTF8.self))
                for r in directory.recipients {
                    FuzzCheck.require(directory.recipient(r.id) != nil, "recipient not found by its own id")
                }
                return true
            } catch {
                return false
            }
        }
        do {
            try configFile.write(body)
            let config = try Config.load(path: configFile.path, environment: [:])
            for service in [Service.intake, .risk, .verify, .notify].map(\.rawValue) {
                _ = try ServiceSettings(service: service, config: config)
            }
            let policy = try SubmissionPolicy.load(config: config)
            let keysValid = policy.clients.allSatisfy { CurveKeyPair.isValidKey($0.publicKey) }
            FuzzCheck.require(keysValid, "invalid key admitted")
            return true
        } catch {
            FuzzCheck.require(!"\(error)".isEmpty, "config error without a description")
            return false
        }
    }
}

/// A temporary file path rewritten for every input (for parsers that take a path).
final class ScratchPath: @unchecked Sendable {
    let path: String

    init(label: String) {
        path = "/tmp/gonggu-fuzz-\(label)-\(getpid()).json"
    }

    func create() throws { try write([]) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func write(_ bytes: [UInt8]) throws {
        let data = Data(bytes)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw FuzzError("cannot write \(path)")
        }
    }
}
