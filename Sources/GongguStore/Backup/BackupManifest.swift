import Foundation
import GongguCore

/// `manifest.json` of a backup folder: what each copied file holds and its SHA-256, so a restore can
/// prove the files are the ones backed up and each log's chain ends where it ended then.
///
/// Written last: a backup folder without a manifest is incomplete and is never restored.
public struct BackupManifest: Equatable, Sendable {
    /// One copied log.
    public struct Log: Equatable, Sendable {
        /// File name inside the backup folder (and the data folder): `intake.log.sqlite` …
        public var file: String
        public var summary: LogBackup.Summary
        /// SHA-256 (hex) of the copied file.
        public var sha256: String
        public var bytes: Int

        public init(file: String, summary: LogBackup.Summary, sha256: String, bytes: Int) {
            self.file = file
            self.summary = summary
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    /// Another copied file (the notifier's outbox exports), relative path inside the data folder.
    public struct File: Equatable, Sendable {
        public var path: String
        public var sha256: String
        public var bytes: Int

        public init(path: String, sha256: String, bytes: Int) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    public static let fileName = "manifest.json"
    public static let format = "gonggu-backup"
    public static let formatVersion = 1

    /// When the backup was taken (UTC, ISO 8601) — for people; nothing depends on it.
    public var createdAt: String
    /// The Gonggu version that took it.
    public var gongguVersion: String
    /// The data folder it was taken from.
    public var source: String
    /// Logs in the order they were copied (consumers before the logs they read).
    public var logs: [Log]
    public var files: [File]
    /// Configuration and keys (`gonggu backup --with-config DIR`), paths relative to the configuration
    /// folder, stored under `config/` in the backup; empty when the backup holds none.
    public var configuration: [File]

    /// The folder inside a backup that holds the configuration copy.
    public static let configurationFolder = "config"

    public init(
        createdAt: String, gongguVersion: String, source: String, logs: [Log], files: [File],
        configuration: [File] = []
    ) {
        self.createdAt = createdAt
        self.gongguVersion = gongguVersion
        self.source = source
        self.logs = logs
        self.files = files
        self.configuration = configuration
    }

    /// The manifest as JSON text (stable field order).
    public var json: String {
        var w = JSONWriter()
        w.beginObject()
        w.field("format", Self.format)
        w.field("formatVersion", Self.formatVersion)
        w.field("createdAt", createdAt)
        w.field("gongguVersion", gongguVersion)
        w.field("source", source)
        w.objects("logs", logs) { w, l in
            w.field("file", l.file)
            w.field("stream", l.summary.stream)
            w.field("logID", l.summary.logID)
            w.field("events", Int(l.summary.events))
            w.field("headSeq", Int(l.summary.headSeq))
            w.field("headHash", l.summary.headHash)
            w.field("sha256", l.sha256)
            w.field("bytes", l.bytes)
        }
        for (key, list) in [("files", files), ("configuration", configuration)] {
            w.objects(key, list) { w, f in
                w.field("path", f.path)
                w.field("sha256", f.sha256)
                w.field("bytes", f.bytes)
            }
        }
        w.endObject()
        return w.string + "\n"
    }

    /// Parses a manifest; throws `BackupManifestError` naming what is missing.
    public init(json bytes: [UInt8]) throws {
        let v: JSONValue
        do { v = try JSONValue.parse(bytes) } catch { throw BackupManifestError.invalid("not JSON: \(error)") }
        guard v["format"]?.stringValue == Self.format else {
            throw BackupManifestError.invalid("not a Gonggu backup manifest")
        }
        guard let version = v["formatVersion"]?.intValue, version <= Self.formatVersion else {
            throw BackupManifestError.invalid("manifest format version is newer than this Gonggu understands")
        }
        func text(_ o: JSONValue, _ key: String) throws -> String {
            guard let s = o[key]?.stringValue else { throw BackupManifestError.invalid("missing \(key)") }
            return s
        }
        func number(_ o: JSONValue, _ key: String) throws -> Int {
            guard let i = o[key]?.intValue else { throw BackupManifestError.invalid("missing \(key)") }
            return i
        }
        createdAt = try text(v, "createdAt")
        gongguVersion = try text(v, "gongguVersion")
        source = try text(v, "source")
        logs = try (v["logs"]?.arrayValue ?? []).map { l in
            Log(
                file: try Self.safeRelative(try text(l, "file")),
                summary: LogBackup.Summary(
                    stream: try text(l, "stream"), logID: try text(l, "logID"), events: Int64(try number(l, "events")),
                    headSeq: Int64(try number(l, "headSeq")), headHash: try text(l, "headHash")),
                sha256: try text(l, "sha256"), bytes: try number(l, "bytes"))
        }
        // Older manifests have no configuration list: read it as empty.
        func fileList(_ key: String) throws -> [File] {
            try (v[key]?.arrayValue ?? []).map { f in
                File(
                    path: try Self.safeRelative(try text(f, "path")), sha256: try text(f, "sha256"),
                    bytes: try number(f, "bytes"))
            }
        }
        files = try fileList("files")
        configuration = try fileList("configuration")
    }

    /// A manifest names files inside the backup folder only: no absolute paths, no `..`.
    static func safeRelative(_ path: String) throws -> String {
        guard !path.isEmpty, !path.hasPrefix("/"),
            !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
        else { throw BackupManifestError.invalid("file path \(path) leaves the backup folder") }
        return path
    }
}

/// A manifest that cannot be used.
public enum BackupManifestError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalid(String)

    public var description: String {
        switch self {
        case let .invalid(why): return "invalid backup manifest: \(why)"
        }
    }
}
