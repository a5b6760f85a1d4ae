import Foundation
import GongguCore
import GongguServices
import GongguTransport

/// `gonggu keys new NAME | list | revoke NAME [--dir DIR]`: CURVE key files for services, recipients
/// and submitting clients. `revoke` moves the files to `DIR/revoked/` and asks the running services
/// to reload (`RELOAD`), so the key stops working without a restart.
enum KeysCommand {
    static func run(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args)
        let sub = try a.positional(0, "new|list|revoke")
        let dir = a.option("dir") ?? ProcessInfo.processInfo.environment["GONGGU_KEYS_DIRECTORY"] ?? "./gonggu-keys"
        switch sub {
        case "new":
            let name = try a.positional(1, "NAME")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw UsageError("NAME may hold letters, digits, '-' and '_' only")
            }
            let keys = try CurveKeyPair.generate()
            try KeyFiles.write(keys, name: name, directory: dir)
            print("created \(dir)/\(name).key (secret, mode 0600) and \(dir)/\(name).pub")
            print("public key: \(keys.publicKey)")
            return 0
        case "list":
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files.sorted() where f.hasSuffix(".pub") {
                let key = (try? KeyFiles.readPublic("\(dir)/\(f)")) ?? "(unreadable)"
                print("\(f.dropLast(4))\t\(key)")
            }
            let revoked = (try? FileManager.default.contentsOfDirectory(atPath: "\(dir)/revoked")) ?? []
            for f in revoked.sorted() where f.hasSuffix(".pub") { print("\(f.dropLast(4))\trevoked") }
            return 0
        case "revoke":
            let name = try a.positional(1, "NAME")
            try FileManager.default.createDirectory(atPath: "\(dir)/revoked", withIntermediateDirectories: true)
            var moved = 0
            for ext in ["key", "pub"] where FileManager.default.fileExists(atPath: "\(dir)/\(name).\(ext)") {
                try? FileManager.default.removeItem(atPath: "\(dir)/revoked/\(name).\(ext)")
                try FileManager.default.moveItem(atPath: "\(dir)/\(name).\(ext)", toPath: "\(dir)/revoked/\(name).\(ext)")
                moved += 1
            }
            guard moved > 0 else { throw CommandFailure("no key named \(name) in \(dir)", code: 1) }
            print("revoked \(name)")
            let endpoints = try ServiceEndpoints(configPath: a.option("config"))
            for s in ServiceEndpoints.services {
                if let r = endpoints.call(s, "RELOAD"), r.status == "OK" { print("\(s): reloaded") }
            }
            return 0
        default:
            throw UsageError("usage: gonggu keys new NAME | list | revoke NAME [--dir DIR]")
        }
    }
}
