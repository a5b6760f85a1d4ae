import Foundation
import GongguRuntime
import GongguServices
import GongguTransport

/// `gonggu keys rotate NAME [--dir DIR]`: replaces a server's key pair (docs/OPERATIONS.md,
/// "Server-key rotation"). The old pair moves to `DIR/retired/NAME.<UTC time>.key|.pub` (kept, not
/// deleted: a backup or an investigation may need to know which key was in force); the new pair gets
/// the old one's mode and group, so the service user still reads it. The service keeps serving with
/// the old key until it is restarted; clients then need the new public key (printed here).
enum KeyRotation {
    static func rotate(_ name: String, in dir: String) throws -> ExitCode {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw UsageError("NAME may hold letters, digits, '-' and '_' only")
        }
        let secret = "\(dir)/\(name).key", pub = "\(dir)/\(name).pub"
        var old = stat()
        guard stat(secret, &old) == 0 else {
            throw CommandFailure("没有密钥 \(secret)，无从轮换 / no key to rotate: \(secret)", exit: .noInput)
        }
        let retired = "\(dir)/retired"
        let stamp = ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        do {
            try FileManager.default.createDirectory(
                atPath: retired, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for (path, ext) in [(secret, "key"), (pub, "pub")] where FileManager.default.fileExists(atPath: path) {
                try FileManager.default.moveItem(atPath: path, toPath: "\(retired)/\(name).\(stamp).\(ext)")
            }
            let keys = try CurveKeyPair.generate()
            try KeyFiles.write(keys, name: name, directory: dir)
            // The same access as the old pair: e.g. 0640 root:gonggu from `keys ensure --group gonggu`.
            chmod(secret, old.st_mode & 0o777)
            chmod(pub, 0o644)
            if old.st_gid != getegid() {
                for path in [secret, pub] where chown(path, uid_t.max, old.st_gid) != 0 {
                    throw CommandFailure("无法设置 \(path) 的用户组 / cannot set the group of \(path)", exit: .cantCreate)
                }
            }
            print("已轮换密钥 rotated \(name): 旧密钥移至 old pair moved to \(retired)/\(name).\(stamp).key|.pub")
            print("新公钥 new public key: \(keys.publicKey)")
            print("下一步 next: 重启使用该密钥的服务 restart the service that serves with it (e.g. systemctl restart gonggu-\(name)),")
            print("  并把 \(pub) 交给每个客户端 and hand \(pub) to every client (recipients' --server-key, server_public_key_file)")
            return .success
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("密钥轮换失败 / rotation failed: \(error)", exit: .cantCreate)
        }
    }
}
