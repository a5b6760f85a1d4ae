import Foundation
import GongguCore
import GongguRooms
import GongguRuntime
import GongguStore

/// `gonggu backup BACKUPDIR [--data DIR] [--with-config CONFIGDIR]` (or `--out BACKUPDIR`): a consistent
/// online copy of every log in the data folder while the services run, plus the notifier's outbox files,
/// and `manifest.json` (per log: file, events, head seq, head hash, SHA-256) written last.
///
/// Configuration and keys (`/etc/gonggu`) are not in the data folder and so not in the backup unless
/// `--with-config` names their folder: then it is copied to `BACKUPDIR/config/` (files 0600, folders
/// 0700 — it holds the secret CURVE keys) and listed with SHA-256 under `configuration` in the manifest.
/// The command says in Chinese what the backup holds and what it does not.
///
/// Logs are copied consumers first (notify, risk, verify, intake): each copy of an upstream log is
/// then at least as new as what every downstream copy records having consumed from it, so services
/// restarted on the restored folder rebuild without missing upstream events and then catch up.
enum BackupCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args)
        guard let out = a.option("out") ?? a.positionals.first else {
            throw UsageError(
                "usage: gonggu backup BACKUPDIR [--data DIR] [--with-config CONFIGDIR]   (or --out BACKUPDIR)")
        }
        let data = try dataDirectory(a)
        let config = a.option("with-config")
        let manifest = try backup(data: data, to: out, config: config)
        for l in manifest.logs {
            print(
                "\(l.file): \(l.summary.events) events, head seq \(l.summary.headSeq), "
                    + "head hash \(l.summary.headHash.prefix(16))…, "
                    + "\(l.bytes) bytes")
        }
        print("备份完成：\(manifest.logs.count) 个日志，\(manifest.files.count) 个其他文件 → \(out)")
        print("备份包含：各服务的事件日志（含哈希链）、通知导出文件、清单 manifest.json（逐个文件的 SHA-256）。")
        if let config {
            print(
                "备份包含配置和密钥：\(manifest.configuration.count) 个文件，来自 \(config)，"
                    + "存于 \(out)/\(BackupManifest.configurationFolder)/（文件 0600、目录 0700）。"
                    + "其中有 CURVE 私钥：请像保管密钥一样保管此备份。")
        } else {
            print(
                "备份不包含：配置文件和密钥（/etc/gonggu：各服务配置、接收方名录、规则文档、CURVE 密钥）。"
                    + "如需一并备份，请加 --with-config /etc/gonggu；否则请另行备份该目录。")
        }
        print("备份不包含：程序和 systemd 单元文件（用安装脚本重新安装即可）。")
        print(
            "backup complete: \(manifest.logs.count) logs, \(manifest.files.count) other files → "
                + "\(out)/\(BackupManifest.fileName)"
        )
        return .success
    }

    /// `--data`, else `GONGGU_DATA_DIRECTORY` (the services' own override), else a usage error.
    static func dataDirectory(_ a: Arguments) throws -> String {
        if let d = a.option("data") ?? ProcessInfo.processInfo.environment[Config.environmentName("data.directory")] {
            return d
        }
        throw UsageError("missing --data DIR (the services' data folder, e.g. /var/lib/gonggu)")
    }

    static func backup(data: String, to out: String, config: String? = nil) throws -> BackupManifest {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: data, isDirectory: &isDir), isDir.boolValue else {
            throw CommandFailure("数据目录不存在：\(data) / no data folder at \(data)", exit: .noInput)
        }
        try checkUser(data: data)
        if fm.fileExists(atPath: out) {
            guard ((try? fm.contentsOfDirectory(atPath: out)) ?? ["?"]).isEmpty else {
                throw CommandFailure("备份目录已存在且非空：\(out) / backup folder \(out) exists and is not empty", exit: .cantCreate)
            }
            try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: out)
        } else {
            try fm.createDirectory(
                atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let names = try fm.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".log.sqlite") }
        guard !names.isEmpty else { throw CommandFailure("\(data) 中没有日志 / no *.log.sqlite in \(data)", exit: .noInput) }
        var logs: [BackupManifest.Log] = []
        for name in try order(names, data: data) {
            let target = "\(out)/\(name)"
            let summary: LogBackup.Summary
            do {
                summary = try LogBackup.copy(from: "\(data)/\(name)", to: target)
            } catch {
                throw CommandFailure("备份 \(name) 失败 / backing up \(name) failed: \(error)")
            }
            logs.append(
                BackupManifest.Log(
                    file: name, summary: summary, sha256: try LogBackup.sha256(ofFile: target), bytes: try size(target))
            )
        }
        let files = try copyOtherFiles(data: data, out: out)
        let configuration = try config.map {
            try copyConfiguration(from: $0, to: "\(out)/\(BackupManifest.configurationFolder)")
        } ?? []
        let manifest = BackupManifest(
            createdAt: ISO8601DateFormatter().string(from: Date()), gongguVersion: GongguVersion.current,
            source: data, logs: logs, files: files, configuration: configuration)
        // The manifest last, atomically: its presence marks a complete backup.
        let manifestPath = "\(out)/\(BackupManifest.fileName)"
        try manifest.json.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: manifestPath)
        return manifest
    }

    /// Opening a WAL log, even read-only, creates its `-shm`/`-wal` files when they are absent (services
    /// stopped); made by root they would belong to root and the services, running as their own user,
    /// could no longer open their logs. So root may back up only a folder root owns.
    static func checkUser(data: String) throws {
        guard geteuid() == 0,
            let owner = (try FileManager.default.attributesOfItem(atPath: data)[.ownerAccountID] as? NSNumber)?
                .intValue,
            owner != 0
        else { return }
        let name = (try? FileManager.default.attributesOfItem(atPath: data)[.ownerAccountName] as? String) ?? "\(owner)"
        throw CommandFailure(
            "请以数据目录的所有者运行：sudo -u \(name) gonggu backup … / run as the data folder's owner: "
                + "sudo -u \(name) gonggu backup … (as root, files SQLite creates beside the logs would belong to root "
                + "and the services could no longer open them)", exit: .noPermission)
    }

    /// Consumers before the logs they read (see the type comment); logs of unknown streams first.
    static func order(_ names: [String], data: String) throws -> [String] {
        var stream: [String: String] = [:]
        for n in names {
            do {
                stream[n] = try EventLog(path: "\(data)/\(n)", stream: nil, readOnly: true).stream
            } catch {
                throw CommandFailure("无法打开日志 \(n) / cannot open log \(n): \(error)", exit: .noInput)
            }
        }
        // Depth of a stream below the sources: intake 0, verify 1, risk 2, notify 3.
        func depth(_ s: String, _ seen: Set<String> = []) -> Int {
            guard let ups = Rooms.topology[s]?.upstreams, !seen.contains(s) else { return Int.max }
            return ups.map { depth($0, seen.union([s])) }.max().map { $0 + 1 } ?? 0
        }
        return names.sorted { a, b in
            let da = depth(stream[a]!), db = depth(stream[b]!)
            return da != db ? da > db : a < b
        }
    }

    /// Regular files in the data folder's subfolders (the notifier's outbox exports), copied as they
    /// are: they are append-only exports, not state any service rebuilds from.
    static func copyOtherFiles(data: String, out: String) throws -> [BackupManifest.File] {
        let fm = FileManager.default
        var files: [BackupManifest.File] = []
        for entry in try fm.contentsOfDirectory(atPath: data).sorted() {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: "\(data)/\(entry)", isDirectory: &isDir), isDir.boolValue else { continue }
            guard let walker = fm.enumerator(atPath: "\(data)/\(entry)") else { continue }
            var relatives: [String] = []
            while let rel = walker.nextObject() as? String { relatives.append(rel) }
            for rel in relatives.sorted() {
                let path = "\(entry)/\(rel)"
                var sub: ObjCBool = false
                guard fm.fileExists(atPath: "\(data)/\(path)", isDirectory: &sub) else { continue }
                if sub.boolValue {
                    try fm.createDirectory(
                        atPath: "\(out)/\(path)", withIntermediateDirectories: true,
                        attributes: [.posixPermissions: 0o700])
                    continue
                }
                try fm.createDirectory(
                    atPath: ("\(out)/\(path)" as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
                try fm.copyItem(atPath: "\(data)/\(path)", toPath: "\(out)/\(path)")
                try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(out)/\(path)")
                files.append(
                    BackupManifest.File(
                        path: path, sha256: try LogBackup.sha256(ofFile: "\(out)/\(path)"),
                        bytes: try size("\(out)/\(path)")))
            }
        }
        return files
    }

    /// Every regular file under the configuration folder `config`, copied to `target` (files 0600, folders
    /// 0700: the secret keys are among them); paths in the result are relative to `config`.
    static func copyConfiguration(from config: String, to target: String) throws -> [BackupManifest.File] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: config, isDirectory: &isDir), isDir.boolValue else {
            throw CommandFailure("配置目录不存在：\(config) / no configuration folder at \(config)", exit: .noInput)
        }
        guard let walker = fm.enumerator(atPath: config) else {
            throw CommandFailure("无法读取配置目录 \(config) / cannot read \(config)", exit: .noInput)
        }
        let folder: [FileAttributeKey: Any] = [.posixPermissions: 0o700]
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true, attributes: folder)
        var relatives: [String] = []
        while let rel = walker.nextObject() as? String { relatives.append(rel) }
        var files: [BackupManifest.File] = []
        for rel in relatives.sorted() {
            var sub: ObjCBool = false
            guard fm.fileExists(atPath: "\(config)/\(rel)", isDirectory: &sub) else { continue }
            if sub.boolValue {
                try fm.createDirectory(
                    atPath: "\(target)/\(rel)", withIntermediateDirectories: true, attributes: folder)
                continue
            }
            guard let bytes = fm.contents(atPath: "\(config)/\(rel)") else {
                throw CommandFailure("无法读取 \(config)/\(rel)（权限？）/ cannot read \(config)/\(rel)", exit: .noInput)
            }
            try fm.createDirectory(
                atPath: ("\(target)/\(rel)" as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: folder)
            let fd = open("\(target)/\(rel)", O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw LogBackupError.cannotWrite("\(target)/\(rel)") }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            try handle.close()
            files.append(
                BackupManifest.File(
                    path: rel, sha256: try LogBackup.sha256(ofFile: "\(target)/\(rel)"), bytes: bytes.count))
        }
        return files
    }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }
}
