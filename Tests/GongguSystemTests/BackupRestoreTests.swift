import Foundation
import GongguCore
import GongguRuntime
import GongguHarness
import GongguServices
import GongguSimulation
import GongguStore
import GongguTransport
import XCTest

/// Backup and restore (docs/OPERATIONS.md §6): a backup taken with `gonggu backup` while a province is
/// being imported, restored with `gonggu restore` into a fresh folder, verifies log by log; a pipeline
/// started on it, given the same import again, ends in exactly the state of the original pipeline
/// (equal state digests of intake, verifier and risk monitor; the notifier's notifications equal byte
/// for byte) with no decision or notification twice. A backup whose
/// file or chain was altered is refused and nothing is written.
final class BackupRestoreTests: XCTestCase {
    var root = ""
    var launchers: [PipelineLauncher] = []

    override func tearDown() {
        for l in launchers { l.stopAll() }
        if !root.isEmpty, testRun?.failureCount ?? 0 == 0 { try? FileManager.default.removeItem(atPath: root) }
    }

    /// County bureaus and offices of the simulated province, all on the ZeroMQ channel and never
    /// connected: notifications are created and stay open, so no wall-clock delivery enters the state.
    func recipients() -> [PipelineLauncher.Recipient] {
        PipelineCheck.counties.flatMap { c -> [PipelineLauncher.Recipient] in
            [
                .init(
                    id: "\(c.code)-bureau", name: "\(c.name)乡村振兴局", kind: "bureau", level: "county", region: c.code,
                    types: ["RiskFeedback", "RecommendationOverdue"]),
                .init(
                    id: "\(c.code)-office", name: "\(c.name)残疾人联合会", kind: "office", level: "county", region: c.code,
                    types: [
                        "EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved",
                        "MonitoringWithoutAssistance",
                    ]),
            ]
        }
    }

    func cli(_ args: [String]) throws -> (Int32, String) { try ServiceProcess.gonggu(args) }

    /// Imports every file of the province, in manifest order, through the CLI.
    func importProvince(_ l: PipelineLauncher, _ province: String) throws {
        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: province + "/manifest.json")!))
        for entry in manifest["files"]?.arrayValue ?? [] {
            let (status, out) = try cli([
                "import", "\(province)/\(entry["file"]!.stringValue!)", "--kind", entry["kind"]!.stringValue!,
                "--control", l.control("intake"), "--allow-rejects", "--quiet",
            ])
            XCTAssertEqual(status, 0, out)
        }
    }

    /// Waits until every service has folded everything. No clock tick is given: a tick's event id
    /// carries the wall clock of the moment it was asked for (two ticks are two operator actions), so
    /// a ticked state can never be digest-equal between two pipelines; data-driven decisions are.
    func finish(_ l: PipelineLauncher) throws {
        try l.waitIdle(timeout: 180)
    }

    func digests(_ l: PipelineLauncher) -> [String: String] {
        var out: [String: String] = [:]
        for s in PipelineLauncher.services {
            out[s] = l.call(s, "DIGEST", timeoutMs: 60_000)?.body?["digest"]?.stringValue ?? "no answer"
        }
        return out
    }

    /// Decisions and notifications as comparable keys (event ids are derived from their causes).
    func outputs(_ l: PipelineLauncher) throws -> [String: [String]] {
        let decisionTypes: [String: Set<String>] = [
            "verify": ["EntitlementGap", "AssistanceDiscontinued", "PaymentAnomaly", "FindingResolved"],
            "risk": [
                "MonitoringRecommended", "RiskFeedback", "RiskEliminationRecommended", "MonitoringWithoutAssistance",
            ],
            "notify": ["NotificationCreated"],
        ]
        var out: [String: [String]] = [:]
        for (s, types) in decisionTypes {
            out[s] = try GongguStoreTestAccess.events(path: l.logPath(s)).filter { types.contains($0.type) }
                .map { "\($0.type)|\($0.id)|\(SHA256.hash($0.payload).hexString)" }
        }
        return out
    }

    /// A backup says what it holds and what it does not (configuration and keys);
    /// `--with-config DIR` copies the configuration folder with its keys (0600 files, 0700 folders),
    /// listed and hashed in the manifest; restore checks them and writes the logs only.
    func testBackupNamesWhatItLeavesOutAndCopiesConfigurationOnRequest() throws {
        root = try makeTemporaryDirectory("backup-config")
        let data = root + "/data", config = root + "/etc"
        let fm = FileManager.default
        try fm.createDirectory(atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let log = try EventLog(path: data + "/intake.log.sqlite", stream: "intake")
        try log.append(
            [
                Event(
                    id: EventID.derived("backup-config|1"), type: "Test", subject: "S1", region: "220102001001",
                    occurredAt: 1, payload: Array("{}".utf8))
            ], recordedAt: 1)
        try fm.createDirectory(atPath: config + "/keys", withIntermediateDirectories: true)
        try "{\"data\": {\"directory\": \"/var/lib/gonggu\"}}".write(
            toFile: config + "/intake.json", atomically: true, encoding: .utf8)
        try KeyFiles.write(try CurveKeyPair.generate(), name: "intake", directory: config + "/keys")

        let plain = try cli(["backup", "--data", data, "--out", root + "/plain"])
        XCTAssertEqual(plain.0, 0, plain.1)
        XCTAssertTrue(plain.1.contains("不包含") && plain.1.contains("配置") && plain.1.contains("密钥"), plain.1)
        XCTAssertTrue(plain.1.contains("--with-config"), plain.1)
        XCTAssertFalse(fm.fileExists(atPath: root + "/plain/config"))
        XCTAssertEqual(
            try BackupManifest(json: [UInt8](XCTUnwrap(fm.contents(atPath: root + "/plain/manifest.json"))))
                .configuration, [])

        let full = try cli(["backup", "--data", data, "--out", root + "/full", "--with-config", config])
        XCTAssertEqual(full.0, 0, full.1)
        XCTAssertTrue(full.1.contains("配置和密钥"), full.1)
        let manifest = try BackupManifest(
            json: [UInt8](XCTUnwrap(fm.contents(atPath: root + "/full/manifest.json"))))
        XCTAssertEqual(
            manifest.configuration.map(\.path).sorted(), ["intake.json", "keys/intake.key", "keys/intake.pub"])
        for f in manifest.configuration {
            XCTAssertEqual(try permissions(of: root + "/full/config/" + f.path), 0o600, f.path)
            XCTAssertEqual(try LogBackup.sha256(ofFile: root + "/full/config/" + f.path), f.sha256, f.path)
        }
        XCTAssertEqual(try permissions(of: root + "/full/config"), 0o700)
        XCTAssertEqual(try permissions(of: root + "/full/config/keys"), 0o700)
        XCTAssertEqual(
            fm.contents(atPath: root + "/full/config/keys/intake.key"),
            fm.contents(atPath: config + "/keys/intake.key"))

        // Restore checks the configuration too, and writes only the logs into the data folder.
        let restored = try cli(["restore", root + "/full", "--data", root + "/restored"])
        XCTAssertEqual(restored.0, 0, restored.1)
        XCTAssertTrue(restored.1.contains(root + "/full/config"), "restore says where the configuration is")
        XCTAssertFalse(fm.fileExists(atPath: root + "/restored/config"))
        XCTAssertFalse(fm.fileExists(atPath: root + "/restored/keys"))
        try "{}".write(toFile: root + "/full/config/intake.json", atomically: true, encoding: .utf8)
        let refused = try cli(["restore", root + "/full", "--data", root + "/restored-again"])
        XCTAssertEqual(refused.0, 65, refused.1)
        XCTAssertFalse(fm.fileExists(atPath: root + "/restored-again/intake.log.sqlite"))
    }

    func testBackupDuringImportRestoresToTheSameFinalState() throws {
        root = try makeTemporaryDirectory("backup")
        let province = root + "/province"
        try Simulator(households: 1500, seed: 5).write(to: province)

        // The original pipeline; the backup is taken while the import runs.
        let original = PipelineLauncher(
            directory: root + "/original", recipients: recipients(), binDirectory: ServiceProcess.binDirectory)
        launchers.append(original)
        try original.prepare()
        try original.startAll()
        let importer = Thread { [self] in try? importProvince(original, province) }
        importer.start()
        try waitFor("intake to hold the first records", timeout: 60) {
            (original.call("intake", "STATUS")?.body?["lastSeq"]?.intValue ?? 0) > 0
        }
        XCTAssertFalse(importer.isFinished, "the backup starts while the import runs")
        let backup = root + "/backup"
        let (backupStatus, backupOutput) = try cli(["backup", "--data", original.dataDirectory, "--out", backup])
        XCTAssertEqual(backupStatus, 0, backupOutput)
        try waitFor("the import to finish", timeout: 300) { importer.isFinished }
        try finish(original)
        let expectedDigests = digests(original)
        let expectedOutputs = try outputs(original)
        let notifyStatus = original.call("notify", "STATUS")?.body
        let expectedNotifyCounts = ["openNotifications", "notifications"].reduce(into: [String: Int?]()) {
            $0[$1] = notifyStatus?[$1]?.intValue
        }
        let finalIntake = original.call("intake", "STATUS")?.body?["lastSeq"]?.intValue ?? 0
        original.stopAll()

        // The manifest: every log, consumers first, with counts, heads and file hashes.
        let manifest = try BackupManifest(
            json: [UInt8](XCTUnwrap(FileManager.default.contents(atPath: backup + "/manifest.json"))))
        XCTAssertEqual(manifest.logs.map(\.summary.stream), ["notify", "risk", "verify", "intake"])
        for l in manifest.logs {
            XCTAssertEqual(try LogBackup.sha256(ofFile: "\(backup)/\(l.file)"), l.sha256)
            XCTAssertEqual(l.summary.events, l.summary.headSeq)
            XCTAssertEqual(try permissions(of: "\(backup)/\(l.file)"), 0o600)
        }
        let backedUpIntake = try XCTUnwrap(manifest.logs.first { $0.summary.stream == "intake" }).summary.events
        XCTAssertGreaterThan(backedUpIntake, 0)
        XCTAssertLessThan(Int(backedUpIntake), finalIntake, "the backup holds part of the import only")

        try checkRefusals(backup: backup, manifest: manifest)

        // Restore into a fresh folder, with the original's keys (so the recipient directory is the same).
        let restored = PipelineLauncher(
            directory: root + "/restored", recipients: recipients(), binDirectory: ServiceProcess.binDirectory)
        launchers.append(restored)
        try FileManager.default.createDirectory(
            atPath: restored.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(atPath: original.keysDirectory, toPath: restored.keysDirectory)
        let (restoreStatus, restoreOutput) = try cli(["restore", backup, "--data", restored.dataDirectory])
        XCTAssertEqual(restoreStatus, 0, restoreOutput)
        XCTAssertTrue(restoreOutput.contains("恢复完成"), restoreOutput)
        XCTAssertEqual(try permissions(of: restored.dataDirectory), 0o700)
        for l in manifest.logs {
            let path = "\(restored.dataDirectory)/\(l.file)"
            XCTAssertEqual(try permissions(of: path), 0o600, l.file)
            let (status, out) = try cli(["log", "verify", path])
            XCTAssertEqual(status, 0, out)
            XCTAssertTrue(out.contains("ok: \(l.summary.events) events, head hash \(l.summary.headHash)"), out)
        }

        // The restored pipeline catches up, the import is run again (intake keeps what it has).
        try restored.prepare()
        try restored.startAll()
        try importProvince(restored, province)
        try finish(restored)
        // The notifier numbers notifications in arrival order across its two upstreams (risk and
        // verify), and that interleaving differs between any two runs — also two uninterrupted ones —
        // so its state is compared by content: the same notifications, byte for byte, and counts.
        let got = try outputs(restored)
        let digestsNow = digests(restored)
        for s in ["intake", "verify", "risk"] {
            XCTAssertEqual(digestsNow[s], expectedDigests[s], "\(s): same final state digest as the original pipeline")
        }
        for key in ["openNotifications", "notifications"] {
            XCTAssertEqual(
                restored.call("notify", "STATUS")?.body?[key]?.intValue, expectedNotifyCounts[key] ?? nil, key)
        }
        for (s, keys) in got {
            XCTAssertFalse(keys.isEmpty, "\(s) decided something")
            XCTAssertEqual(Set(keys).count, keys.count, "\(s): nothing twice")
            XCTAssertEqual(keys.sorted(), expectedOutputs[s]?.sorted(), "\(s): the original's decisions")
        }
        print(
            "backup/restore: backup at intake seq \(backedUpIntake) of \(finalIntake); decisions "
                + got.map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", "))
    }

    /// A backup with an altered file, or with a broken chain behind a matching manifest, is refused
    /// with a Chinese and English message, and the target folder is not created.
    func checkRefusals(backup: String, manifest: BackupManifest) throws {
        let intake = try XCTUnwrap(manifest.logs.first { $0.summary.stream == "intake" })

        let altered = root + "/backup-altered"
        try FileManager.default.copyItem(atPath: backup, toPath: altered)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: "\(altered)/\(intake.file)"))
        handle.seek(toFileOffset: UInt64(intake.bytes / 2))
        let byte = handle.readData(ofLength: 1)
        handle.seek(toFileOffset: UInt64(intake.bytes / 2))
        handle.write(Data([byte[0] ^ 0x01]))
        handle.closeFile()
        var (status, out) = try cli(["restore", altered, "--data", root + "/never-1"])
        XCTAssertEqual(status, 65, out)
        XCTAssertTrue(out.contains("拒绝恢复") && out.contains("restore refused") && out.contains("SHA-256"), out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/never-1"))

        // A changed event with a manifest made to match the file: the chain check refuses it.
        let rewritten = root + "/backup-rewritten"
        try FileManager.default.copyItem(atPath: backup, toPath: rewritten)
        do {
            // As someone with the sqlite3 shell would: drop the append-only triggers, change a row.
            let db = try SQLiteDatabase(path: "\(rewritten)/\(intake.file)")
            for trigger in ["events_no_update", "events_no_delete"] { try db.execute("DROP TRIGGER \(trigger)") }
            try db.execute("UPDATE events SET subject = subject || 'x' WHERE seq = 1")
        }
        let newSHA = try LogBackup.sha256(ofFile: "\(rewritten)/\(intake.file)")
        let text = try String(contentsOfFile: "\(rewritten)/manifest.json", encoding: .utf8).replacingOccurrences(
            of: intake.sha256, with: newSHA)
        try text.write(toFile: "\(rewritten)/manifest.json", atomically: true, encoding: .utf8)
        (status, out) = try cli(["restore", rewritten, "--data", root + "/never-2"])
        XCTAssertEqual(status, 65, out)
        XCTAssertTrue(out.contains("哈希链") && out.contains("hash chain of \(intake.file) breaks at seq 1"), out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/never-2"))
    }

    func permissions(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
