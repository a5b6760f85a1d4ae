import GongguCore
import XCTest

@testable import GongguStore

/// The online copy behind `gonggu backup`: consistent at one commit while the writer works, a single
/// self-contained 0600 file, never over an existing file; and the manifest it is described by.
final class LogBackupTests: StoreTestCase {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testCopyTakenInsideAnOpenWriterTransactionHoldsTheLastCommitOnly() throws {
        let writer = try makeLog()
        try writer.append(sampleEvents(500), recordedAt: 1)
        let committedHead = try writer.headHash.hexString
        var inside: LogBackup.Summary?
        try writer.append(sampleEvents(300, from: 500), recordedAt: 2) { _ in
            inside = try LogBackup.copy(from: self.path(), to: self.path("inside.sqlite"))
        }
        XCTAssertEqual(
            inside,
            LogBackup.Summary(stream: "test", logID: writer.logID, events: 500, headSeq: 500, headHash: committedHead))
        let after = try LogBackup.copy(from: path(), to: path("after.sqlite"))
        XCTAssertEqual(after.events, 800)
        XCTAssertEqual(after.headHash, try writer.headHash.hexString)
        // The copy is an event log in its own right, identical in content to the source's prefix.
        let copy = try EventLog(path: path("inside.sqlite"), stream: "test", readOnly: true)
        XCTAssertEqual(try copy.read(after: 0, limit: 1000), try writer.read(after: 0, limit: 500))
    }

    func testCopyWhileAnotherThreadAppendsIsIntact() throws {
        let writer = try makeLog()
        try writer.append(sampleEvents(100), recordedAt: 1)
        let done = DispatchSemaphore(value: 0)
        Thread {
            for batch in 0..<40 { try? writer.append(self.sampleEvents(250, from: 100 + batch * 250), recordedAt: 2) }
            done.signal()
        }.start()
        let copy = try LogBackup.copy(from: path(), to: path("copy.sqlite"))
        done.wait()
        XCTAssertGreaterThanOrEqual(copy.events, 100)
        XCTAssertLessThanOrEqual(copy.events, 10_100)
        XCTAssertEqual(copy.events, copy.headSeq)
        // Its head is the writer's chain at that seq (the copy is a prefix of the log, not a mix).
        let source = try writer.read(after: copy.headSeq - 1, limit: 1)
        XCTAssertEqual(source.map(\.seq), [copy.headSeq])
        XCTAssertEqual(try LogBackup.check(path("copy.sqlite")), copy)
    }

    func testCopyIsOneFileOfMode0600AndNeverOverwrites() throws {
        let writer = try makeLog()
        try writer.append(sampleEvents(10), recordedAt: 1)
        try LogBackup.copy(from: path(), to: path("copy.sqlite"))
        XCTAssertEqual(try mode(path("copy.sqlite")), 0o600)
        let sha = try LogBackup.sha256(ofFile: path("copy.sqlite"))
        _ = try LogBackup.check(path("copy.sqlite"))
        XCTAssertEqual(
            try LogBackup.sha256(ofFile: path("copy.sqlite")), sha, "reading a copy does not change its bytes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("copy.sqlite-wal")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("copy.sqlite-shm")))
        XCTAssertThrowsError(try LogBackup.copy(from: path(), to: path("copy.sqlite"))) {
            XCTAssertEqual($0 as? LogBackupError, .destinationExists(path("copy.sqlite")))
        }
        XCTAssertThrowsError(try LogBackup.copy(from: path("absent.sqlite"), to: path("other.sqlite")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("other.sqlite")), "no half copy left behind")
    }

    func testManifestRoundTripAndRefusesPathsOutsideTheBackup() throws {
        let summary = LogBackup.Summary(
            stream: "risk", logID: "ab", events: 3, headSeq: 3, headHash: String(repeating: "0", count: 64))
        let manifest = BackupManifest(
            createdAt: "2026-11-29T02:00:00Z", gongguVersion: "0.1.0", source: "/var/lib/gonggu",
            logs: [.init(file: "risk.log.sqlite", summary: summary, sha256: "ff", bytes: 8192)],
            files: [.init(path: "outbox/22-office-2026-11-28.csv", sha256: "ee", bytes: 10)])
        XCTAssertEqual(try BackupManifest(json: Array(manifest.json.utf8)), manifest)
        for bad in ["../etc/passwd", "/etc/passwd", "outbox/../../x", ""] {
            let text = manifest.json.replacingOccurrences(of: "outbox/22-office-2026-11-28.csv", with: bad)
            XCTAssertThrowsError(try BackupManifest(json: Array(text.utf8)), bad)
        }
        XCTAssertThrowsError(try BackupManifest(json: Array(#"{"format":"other"}"#.utf8)))
    }

    /// A folder where a file is expected is an error, not a trap in Foundation's
    /// `readData(ofLength:)` (which crashes the process on EISDIR).
    func testHashingAFolderThrowsInsteadOfCrashing() throws {
        let folder = NSTemporaryDirectory() + "gonggu-hash-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try LogBackup.sha256(ofFile: folder)) { error in
            XCTAssertEqual(error as? LogBackupError, .cannotRead(folder))
        }
    }
}
