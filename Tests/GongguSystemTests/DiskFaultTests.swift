import Foundation
import GongguCore
import GongguEvents
import GongguHarness
import GongguRuntime
import GongguServices
import GongguSimulation
import GongguStore
import XCTest

/// Disk faults (docs/RELIABILITY.md, "Disk full and read-only storage") under a running intake whose log lives on a
/// small tmpfs of its own: a really full file system (`ENOSPC` from the kernel, not SQLite's `max_page_count`) and a
/// read-only one. Intake refuses the import with a Chinese and English reason (the CLI prints it, STATUS reports it,
/// the service log has it), keeps every committed event (the chain verifies), and takes the same file again once the
/// disk is usable — with the records counted as new, not as duplicates of events that were never kept. Needs root for
/// `mount`; skipped otherwise.
final class DiskFaultTests: PipelineTestCase {
    private var mounted: [String] = []

    override func tearDown() {
        launcher?.stopAll()
        for m in mounted.reversed() { _ = try? Self.run("/bin/umount", ["-l", m]) }
        mounted.removeAll()
        super.tearDown()
    }

    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
        let r = try runToCompletion(URL(fileURLWithPath: tool), args)
        return (r.status, r.output)
    }

    /// Mounts a tmpfs of `megabytes` on the deployment's data folder, or skips the test.
    func mountDataFolder(megabytes: Int) throws {
        guard geteuid() == 0 else { throw XCTSkip("disk fault tests mount a tmpfs and need root (run as root in CI)") }
        let (status, out) = try Self.run(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", launcher.dataDirectory])
        guard status == 0 else { throw XCTSkip("cannot mount a tmpfs here (no CAP_SYS_ADMIN?): \(out)") }
        mounted.append(launcher.dataDirectory)
    }

    /// Fills the file system holding `folder` until the kernel answers ENOSPC; returns the filler.
    func fill(_ folder: String) throws -> String {
        let path = folder + "/filler"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let block = [UInt8](repeating: 0, count: 64 << 10)
        var small = [UInt8](repeating: 0, count: 512)
        while write(fd, block, block.count) > 0 {}
        while write(fd, &small, small.count) > 0 {}
        XCTAssertEqual(errno, ENOSPC, "the disk is really full")
        return path
    }

    struct Summary {
        var read = 0, accepted = 0, duplicate = 0, rejected = 0
        init(_ output: String) {
            // "imported FILE: read R, accepted A, duplicate D, rejected J"
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("imported ") }) else { return }
            func number(after word: String) -> Int {
                guard let r = line.range(of: word + " ") else { return -1 }
                return Int(line[r.upperBound...].prefix { $0.isNumber }) ?? -1
            }
            read = number(after: "read")
            accepted = number(after: "accepted")
            duplicate = number(after: "duplicate")
            rejected = number(after: "rejected")
        }
    }

    func intakeStatus() throws -> JSONValue { try XCTUnwrap(launcher.call("intake", "STATUS")?.body) }

    /// The events of intake's log other than the records of accepted commands (`CommandAccepted`, one
    /// per import, appended before its records — or refused with them on a full disk).
    func facts(_ l: PipelineLauncher) throws -> Int {
        try GongguStoreTestAccess.events(path: l.logPath("intake")).filter { $0.type != CommandAccepted.eventType }.count
    }

    /// Two files of a simulated province: a small one imported before the fault, a larger one during.
    func province() throws -> (first: (String, String), second: (String, String)) {
        let dir = root + "/province"
        try Simulator(households: 400, seed: 11).write(to: dir)
        let files = try manifestFiles(dir)
        let bySize = files.sorted {
            let a = (try? FileManager.default.attributesOfItem(atPath: $0.0)[.size] as? Int) ?? 0
            let b = (try? FileManager.default.attributesOfItem(atPath: $1.0)[.size] as? Int) ?? 0
            return a < b
        }
        return (bySize.first!, bySize.last!)
    }

    func testDiskFullRefusesWithAClearErrorKeepsWhatWasCommittedAndResumesWithoutRestart() throws {
        let l = try makeLauncher(recipients: [])
        try mountDataFolder(megabytes: 48)
        try l.start("intake")
        try l.waitReady("intake")
        let pid = try intakeStatus()["pid"]?.intValue
        let (small, large) = try province()
        XCTAssertEqual(try importFile(small.0, kind: small.1).0, 0)
        let committed = try facts(l)
        XCTAssertGreaterThan(committed, 0)

        // Empty the WAL (a checkpoint changes no event), so the next commit must take new blocks.
        do {
            let db = try SQLiteDatabase(path: l.logPath("intake"))
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let filler = try fill(l.dataDirectory)

        let (status, output) = try importFile(large.0, kind: large.1)
        XCTAssertNotEqual(status, 0, "the import is refused")
        XCTAssertTrue(output.contains("磁盘已满"), "Chinese reason: \(output)")
        XCTAssertTrue(output.contains("disk full"), "English reason: \(output)")
        let refused = try intakeStatus()
        XCTAssertEqual(try facts(l), committed, "nothing of the refused file was appended")
        XCTAssertTrue(refused["lastError"]?.stringValue?.contains("disk full") ?? false, "STATUS reports it")
        let serviceLog = try String(contentsOfFile: "\(l.logsDirectory)/intake.log", encoding: .utf8)
        XCTAssertTrue(serviceLog.contains("append refused") && serviceLog.contains("disk full"), "the service logs it")
        XCTAssertTrue(try GongguStoreTestAccess.verify(path: l.logPath("intake")), "what was committed verifies")

        // Space returns: the same file goes in, every record new, by the same process.
        try FileManager.default.removeItem(atPath: filler)
        let (again, againOutput) = try importFile(large.0, kind: large.1)
        XCTAssertEqual(again, 0, againOutput)
        let s = Summary(againOutput)
        XCTAssertGreaterThan(s.accepted, 0)
        // The simulated file holds a stray duplicate row or two of its own; the refused batch must not
        // come back as duplicates of events that were never kept.
        XCTAssertLessThan(s.duplicate * 100, s.read, "records refused on the full disk are not taken for duplicates")
        XCTAssertEqual(s.accepted + s.duplicate + s.rejected, s.read)
        let resumed = try intakeStatus()
        XCTAssertEqual(resumed["pid"]?.intValue, pid, "no restart was needed")
        XCTAssertEqual(try facts(l), committed + s.accepted + s.rejected)
        XCTAssertNil(resumed["lastError"]?.stringValue, "the error clears once appends succeed")
        XCTAssertTrue(try GongguStoreTestAccess.verify(path: l.logPath("intake")))
        // And the first file is all there: importing it again adds nothing.
        let repeatSmall = Summary(try importFile(small.0, kind: small.1).1)
        XCTAssertEqual(repeatSmall.accepted, 0)
        XCTAssertEqual(try facts(l), committed + s.accepted + s.rejected)
    }

    func testReadOnlyDiskRefusesWithAClearErrorAndResumesOnceWritable() throws {
        let l = try makeLauncher(recipients: [])
        try mountDataFolder(megabytes: 48)
        try l.start("intake")
        try l.waitReady("intake")
        let (small, large) = try province()
        XCTAssertEqual(try importFile(small.0, kind: small.1).0, 0)
        let committed = try XCTUnwrap(try intakeStatus()["lastSeq"]?.intValue)

        // Linux refuses to remount read-only while a file on it is open for writing (EBUSY), so the
        // disk turns read-only across a restart of the service, as after a reboot into a read-only disk.
        let (busy, _) = try Self.run("/bin/mount", ["-o", "remount,ro", l.dataDirectory])
        XCTAssertNotEqual(busy, 0, "a live remount is refused while the log is open")
        XCTAssertEqual(l.stop("intake"), 0)
        XCTAssertEqual(try Self.run("/bin/mount", ["-o", "remount,ro", l.dataDirectory]).0, 0)
        try l.start("intake")
        try l.waitReady("intake")
        XCTAssertEqual(try intakeStatus()["lastSeq"]?.intValue, committed, "committed events are served read-only")

        let (status, output) = try importFile(large.0, kind: large.1)
        XCTAssertNotEqual(status, 0, "the import is refused")
        XCTAssertTrue(output.contains("只读"), "Chinese reason: \(output)")
        XCTAssertTrue(output.contains("read-only"), "English reason: \(output)")
        XCTAssertTrue(try intakeStatus()["lastError"]?.stringValue?.contains("read-only") ?? false, "STATUS reports it")
        XCTAssertEqual(try intakeStatus()["lastSeq"]?.intValue, committed, "not even the command was recorded")

        XCTAssertEqual(try Self.run("/bin/mount", ["-o", "remount,rw", l.dataDirectory]).0, 0)
        // SQLite opened the file read-only; the service takes input again once restarted.
        XCTAssertEqual(l.stop("intake"), 0)
        try l.start("intake")
        try l.waitReady("intake")
        let (again, againOutput) = try importFile(large.0, kind: large.1)
        XCTAssertEqual(again, 0, againOutput)
        let s = Summary(againOutput)
        XCTAssertGreaterThan(s.accepted, 0)
        XCTAssertLessThan(s.duplicate * 100, s.read)
        // + 1: the import's `CommandAccepted` (who sent it), recorded before its records.
        XCTAssertEqual(try intakeStatus()["lastSeq"]?.intValue, committed + 1 + s.accepted + s.rejected)
        XCTAssertTrue(try GongguStoreTestAccess.verify(path: l.logPath("intake")))
    }
}

/// The files of a simulated province (`manifest.json`), as (path, kind), in manifest order.
func manifestFiles(_ province: String) throws -> [(String, String)] {
    let data = try XCTUnwrap(FileManager.default.contents(atPath: province + "/manifest.json"))
    return try (JSONValue.parse([UInt8](data))["files"]?.arrayValue ?? []).map { entry in
        let file = try XCTUnwrap(entry["file"]?.stringValue), kind = try XCTUnwrap(entry["kind"]?.stringValue)
        return ("\(province)/\(file)", kind)
    }
}
