import Foundation
import GongguCore
import GongguRuntime
import GongguServices
import GongguTransport

/// `gonggu keys new NAME | ensure NAME… [--group G] | list | revoke NAME [--dir DIR] [--recipients FILE]
/// [--config FILE] [--no-reload] | rotate NAME`: CURVE key files for services, recipients and submitting
/// clients. `new` on an existing name exits 73 (EX_CANTCREAT) and leaves the key alone; `list` of a
/// missing directory exits 66 (EX_NOINPUT); `rotate` is in KeyRotation.swift.
///
/// `revoke` takes a key out of service without a restart: it moves `NAME.key`/`NAME.pub` to
/// `DIR/revoked/` (intake admits a submission client only while its `public_key_file` exists), marks
/// the recipient NAME — or the recipient holding NAME's public key — `"revoked": true` in the
/// recipient directory (`--recipients`, default `GONGGU_RECIPIENTS_DIRECTORY_FILE`), and sends
/// `RELOAD` to every service (the same as `systemctl reload gonggu-*`, i.e. SIGHUP).
enum KeysCommand {
    static func run(_ args: [String]) throws -> ExitCode {
        let a = try Arguments(args, switches: ["no-reload"])
        let sub = try a.positional(0, "new|list|revoke")
        let dir = a.option("dir") ?? ProcessInfo.processInfo.environment["GONGGU_KEYS_DIRECTORY"] ?? "./gonggu-keys"
        switch sub {
        case "new":
            let name = try a.positional(1, "NAME")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw UsageError("名称只能包含字母、数字、“-”和“_” / NAME may hold letters, digits, '-' and '_' only")
            }
            guard !FileManager.default.fileExists(atPath: "\(dir)/\(name).key") else {
                throw CommandFailure(
                    "密钥 \(dir)/\(name).key 已存在，未改动；要换新请用 keys rotate，停用请用 keys revoke"
                        + " / key already exists, left as it is (keys rotate replaces it, keys revoke retires it)",
                    exit: .cantCreate)
            }
            let keys = try CurveKeyPair.generate()
            do {
                try KeyFiles.write(keys, name: name, directory: dir)
            } catch {
                throw CommandFailure("无法写入密钥 \(dir)/\(name).key / cannot create the key: \(error)", exit: .cantCreate)
            }
            print("已生成密钥 created \(dir)/\(name).key (secret, mode 0600) and \(dir)/\(name).pub")
            print("公钥 public key: \(keys.publicKey)")
            return .success
        case "ensure":
            return try ensure(Array(a.positionals.dropFirst()), in: dir, group: a.option("group"))
        case "rotate":
            return try KeyRotation.rotate(try a.positional(1, "NAME"), in: dir)
        case "list":
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CommandFailure("密钥目录 \(dir) 不存在 / key directory does not exist: \(dir)", exit: .noInput)
            }
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
                throw CommandFailure("无法读取密钥目录 \(dir) / cannot read the key directory", exit: .noInput)
            }
            for f in files.sorted() where f.hasSuffix(".pub") {
                let key = (try? KeyFiles.readPublic("\(dir)/\(f)")) ?? "(unreadable)"
                print("\(f.dropLast(4))\t\(key)")
            }
            let revoked = (try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/revoked")) ?? []
            for f in revoked.sorted() where f.hasSuffix(".pub") { print("\(f.dropLast(4))\trevoked") }
            return .success
        case "revoke":
            let name = try a.positional(1, "NAME")
            let publicKey = try? KeyFiles.readPublic("\(dir)/\(name).pub")
            try FileManager.default.createDirectory(
                atPath: "\(dir)/revoked", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var moved = 0
            for ext in ["key", "pub"] where FileManager.default.fileExists(atPath: "\(dir)/\(name).\(ext)") {
                try? FileManager.default.removeItem(atPath: "\(dir)/revoked/\(name).\(ext)")
                try FileManager.default.moveItem(
                    atPath: "\(dir)/\(name).\(ext)", toPath: "\(dir)/revoked/\(name).\(ext)")
                moved += 1
            }
            if moved > 0 { print("已移走密钥 moved \(name).key/.pub to \(dir)/revoked/") }
            var marked: [String] = []
            let directoryFile =
                a.option("recipients")
                ?? ProcessInfo.processInfo.environment[Config.environmentName("recipients.directory_file")]
            if let directoryFile, FileManager.default.fileExists(atPath: directoryFile) {
                marked = try RecipientRevocation.revoke(name: name, publicKey: publicKey, in: directoryFile)
                for id in marked { print("已在名录中吊销 recipient \(id) marked revoked in \(directoryFile)") }
            }
            guard moved > 0 || !marked.isEmpty else {
                throw CommandFailure(
                    "没有名为 \(name) 的密钥或接收方 / no key named \(name) in \(dir) and no such recipient in the directory",
                    exit: .failure)
            }
            print("已吊销 revoked \(name)")
            guard !a.flag("no-reload") else {
                print("未重新加载 not reloaded (--no-reload): run systemctl reload gonggu-intake gonggu-notify (SIGHUP)")
                return .success
            }
            let endpoints = try ServiceEndpoints(configPath: a.option("config"))
            var reloaded = true
            for s in ServiceEndpoints.services {
                if let r = endpoints.call(s, "RELOAD", timeoutMs: 5000), r.status == "OK" {
                    print("\(s): 已重新加载 reloaded")
                } else {
                    print(
                        "\(s): 无响应 no answer — reload it (systemctl reload gonggu-\(s)) for the revocation to take "
                            + "effect")
                    reloaded = false
                }
            }
            return reloaded ? .success : .failure
        default:
            throw UsageError(
                "usage: gonggu keys new NAME | ensure NAME… [--group G] | list | revoke NAME [--recipients FILE] "
                    + "| rotate NAME [--dir DIR]")
        }
    }

    /// `keys ensure NAME… [--group G]`: makes each key pair that does not exist yet and leaves existing
    /// ones alone, then sets the modes the services need — secret 0640, public 0644, group G (as root).
    /// This is the installation's post-install step, run by the units as `ExecStartPre=+…`: keys are
    /// made on the server at first start, never in a package (every server would share them).
    static func ensure(_ names: [String], in dir: String, group: String?) throws -> ExitCode {
        guard !names.isEmpty else { throw UsageError("usage: gonggu keys ensure NAME… [--dir DIR] [--group G]") }
        var gid: gid_t?
        if let group {
            guard let entry = getgrnam(group) else {
                throw CommandFailure("没有用户组 \(group) / no group \(group)", exit: .noInput)
            }
            gid = entry.pointee.gr_gid
        }
        for name in names {
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw UsageError("名称只能包含字母、数字、“-”和“_” / NAME may hold letters, digits, '-' and '_' only")
            }
            let secret = "\(dir)/\(name).key", pub = "\(dir)/\(name).pub"
            if FileManager.default.fileExists(atPath: secret) {
                if !FileManager.default.fileExists(atPath: pub) {
                    let keys = try KeyFiles.readPair(secret)
                    try "# Gonggu CURVE public key \(name)\npublic = \(keys.publicKey)\n".write(
                        toFile: pub, atomically: true, encoding: .utf8)
                }
                print("保留已有密钥 kept \(secret)")
            } else {
                try KeyFiles.write(try CurveKeyPair.generate(), name: name, directory: dir)
                print("已生成密钥 created \(secret)")
            }
            // The services run as the service user and must read their secret keys: 0640 root:G.
            guard chmod(secret, 0o640) == 0, chmod(pub, 0o644) == 0 else {
                throw CommandFailure("无法设置权限 cannot set the mode of \(secret)", exit: .cantCreate)
            }
            if let gid {
                for path in [secret, pub] where chown(path, uid_t.max, gid) != 0 {
                    throw CommandFailure("无法更改用户组 cannot give \(path) to group \(group ?? "")", exit: .cantCreate)
                }
            }
        }
        return .success
    }
}

/// Marks recipients revoked in a recipient directory file (the notifier reads it on reload).
enum RecipientRevocation {
    /// Sets `"revoked": true` on the recipient whose id is `name` or whose key is `publicKey`; returns
    /// the ids marked. The file is rewritten atomically, one recipient per line.
    static func revoke(name: String, publicKey: String?, in path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path),
            case let .object(top) = try JSONValue.parse([UInt8](data))
        else { throw CommandFailure("\(path) is not a recipient directory (JSON object)") }
        var marked: [String] = []
        let fields = top.map { key, value -> (String, JSONValue) in
            guard key == "recipients", let list = value.arrayValue else { return (key, value) }
            return (
                key,
                .array(
                    list.map { r in
                        guard case let .object(f) = r, let id = r["id"]?.stringValue,
                            id == name || (publicKey != nil && r["publicKey"]?.stringValue == publicKey)
                        else { return r }
                        marked.append(id)
                        return .object(f.filter { $0.0 != "revoked" } + [("revoked", .bool(true))])
                    })
            )
        }
        guard !marked.isEmpty else { return [] }
        var text = "{\n"
        for (i, (key, value)) in fields.enumerated() {
            text += "  " + JSONValue.string(key).jsonString + ": "
            if key == "recipients", let list = value.arrayValue {
                text += "[\n" + list.map { "    " + $0.jsonString }.joined(separator: ",\n") + "\n  ]"
            } else {
                text += value.jsonString
            }
            text += i == fields.count - 1 ? "\n" : ",\n"
        }
        text += "}\n"
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if let mode = attributes?[.posixPermissions] {
            try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        return marked
    }
}
