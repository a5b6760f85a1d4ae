import Foundation
import GongguCore
import GongguStore

/// `gonggu restore BACKUPDIR --data DIR`: checks a backup against its manifest — every file's SHA-256,
/// every log's hash chain, event count, head seq and head hash — and only when all agree writes the
/// files (mode 0600) into DIR, which must be new or empty. Nothing is written when any check fails.
/// Start the services on DIR afterwards: they rebuild from the restored logs and catch up.
///
/// A backup taken with `--with-config` holds the configuration and keys in `BACKUPDIR/config/`; restore
/// checks their SHA-256 too but does not write them anywhere: putting them back into `/etc/gonggu` is
/// the administrator's step (docs/OPERATIONS.md, "Backup and restore").
enum RestoreCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args)
        let backup = try a.positional(0, "BACKUPDIR")
        let data = try BackupCommand.dataDirectory(a)
        let manifest = try check(backup: backup)
        try write(manifest, from: backup, to: data)
        for l in manifest.logs {
            print("\(l.file): \(l.summary.events) events, head seq \(l.summary.headSeq), chain verified")
        }
        print("恢复完成：\(manifest.logs.count) 个日志已校验并写入 \(data)；请在该目录上启动各服务。")
        print(
            "restore complete: \(manifest.logs.count) logs verified and written to \(data); start the services on it.")
        if manifest.configuration.isEmpty {
            print("此备份不含配置和密钥：请使用服务器上现有的 /etc/gonggu，或另行保存的副本。")
        } else {
            print(
                "配置和密钥（\(manifest.configuration.count) 个文件，已校验）未写入数据目录，位于 "
                    + "\(backup)/\(BackupManifest.configurationFolder)；需要时以 root 复制回 /etc/gonggu 并恢复权限"
                    + "（见 OPERATIONS.md“备份与恢复”）。")
        }
        return .success
    }

    /// A refusal: nothing was written.
    static func refuse(_ chinese: String, _ english: String) -> CommandFailure {
        CommandFailure("拒绝恢复：\(chinese) / restore refused: \(english)", exit: .dataError)
    }

    /// Every check, before anything is written.
    static func check(backup: String) throws -> BackupManifest {
        let manifestPath = "\(backup)/\(BackupManifest.fileName)"
        guard let bytes = FileManager.default.contents(atPath: manifestPath) else {
            throw refuse("\(backup) 中没有 manifest.json（备份不完整）", "no manifest.json in \(backup) (incomplete backup)")
        }
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest(json: [UInt8](bytes))
        } catch {
            throw refuse("清单无法读取", "\(error)")
        }
        guard !manifest.logs.isEmpty else { throw refuse("清单中没有日志", "the manifest lists no logs") }
        for l in manifest.logs {
            let path = "\(backup)/\(l.file)"
            guard FileManager.default.fileExists(atPath: path) else {
                throw refuse("缺少文件 \(l.file)", "\(l.file) is missing")
            }
            let sha = try LogBackup.sha256(ofFile: path)
            guard sha == l.sha256 else {
                throw refuse(
                    "\(l.file) 的 SHA-256 与清单不符（文件已被改动或损坏）",
                    "SHA-256 of \(l.file) is \(sha), the manifest says \(l.sha256) (file altered or damaged)")
            }
            let found: LogBackup.Summary
            do {
                found = try LogBackup.check(path)
            } catch let LogBackupError.brokenChain(_, seq, problem) {
                throw refuse(
                    "\(l.file) 的哈希链在第 \(seq) 条断开", "the hash chain of \(l.file) breaks at seq \(seq): \(problem)")
            } catch {
                throw refuse("\(l.file) 无法作为日志打开", "\(l.file) cannot be opened as an event log: \(error)")
            }
            guard found == l.summary else {
                throw refuse(
                    "\(l.file) 的内容（\(found.events) 条，链头 \(found.headHash.prefix(16))…）与清单不符",
                    "\(l.file) holds \(found.events) events ending in \(found.headHash) (stream \(found.stream)); the "
                        + "manifest says \(l.summary.events) ending in \(l.summary.headHash) "
                        + "(stream \(l.summary.stream))"
                )
            }
        }
        for f in manifest.files {
            let path = "\(backup)/\(f.path)"
            guard FileManager.default.fileExists(atPath: path), try LogBackup.sha256(ofFile: path) == f.sha256 else {
                throw refuse("\(f.path) 缺失或与清单不符", "\(f.path) is missing or differs from the manifest")
            }
        }
        for f in manifest.configuration {
            let path = "\(backup)/\(BackupManifest.configurationFolder)/\(f.path)"
            guard FileManager.default.fileExists(atPath: path), try LogBackup.sha256(ofFile: path) == f.sha256 else {
                throw refuse(
                    "配置文件 \(f.path) 缺失或与清单不符", "configuration file \(f.path) is missing or differs from the manifest")
            }
        }
        return manifest
    }

    /// Copies into a new or empty DIR (0700): each file to a temporary name, synced, 0600, renamed.
    static func write(_ manifest: BackupManifest, from backup: String, to data: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: data) {
            guard ((try? fm.contentsOfDirectory(atPath: data)) ?? ["?"]).isEmpty else {
                throw refuse(
                    "目标目录 \(data) 非空；恢复只写入新的空目录，不覆盖现有日志",
                    "\(data) is not empty; restore writes into a new or empty folder and never overwrites logs")
            }
        } else {
            try fm.createDirectory(
                atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: data)
        let paths = manifest.logs.map(\.file) + manifest.files.map(\.path)
        let hashes = manifest.logs.map(\.sha256) + manifest.files.map(\.sha256)
        for (rel, sha) in zip(paths, hashes) {
            let target = "\(data)/\(rel)"
            try fm.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let partial = target + ".restoring"
            try copySynced(from: "\(backup)/\(rel)", to: partial)
            // The copy on disk is the one that counts: hash it again before it takes its name.
            guard try LogBackup.sha256(ofFile: partial) == sha else {
                try? fm.removeItem(atPath: partial)
                throw CommandFailure("写入 \(target) 后校验失败 / \(target) differs after writing (disk problem?)")
            }
            guard rename(partial, target) == 0 else { throw CommandFailure("cannot rename \(partial): errno \(errno)") }
        }
    }

    /// Copies a file with mode 0600 and fsyncs it (a restored log must survive a crash right after).
    static func copySynced(from source: String, to target: String) throws {
        // The source is checked before the target is made, as a missing source must leave nothing behind.
        guard FileManager.default.isReadableFile(atPath: source) else { throw LogBackupError.cannotRead(source) }
        let fd = open(target, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw LogBackupError.cannotWrite(target) }
        let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try LogBackup.readPieces(ofFile: source) { try output.write(contentsOf: $0) }
        try output.synchronize()
        try output.close()
    }
}
