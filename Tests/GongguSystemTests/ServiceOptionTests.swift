import XCTest

/// `--service NAME` is read as a `Service`: an unknown name is a usage error (64) that names the valid
/// services in Chinese and English, before any service is asked.
final class ServiceOptionTests: XCTestCase {
    func testAnUnknownServiceIsAUsageErrorListingTheValidNames() throws {
        for args in [
            ["status", "--service", "notifier"], ["status", "--ready", "--service", "Risk"],
            ["tick", "2025-01-01", "--service", "notifier"], ["snapshot", "take", "--service", "notifier"],
        ] {
            let r = try ServiceProcess.gonggu(args, environment: [:])
            XCTAssertEqual(r.status, 64, args.joined(separator: " "))
            let text = r.stdout + r.stderr  // `status --ready` answers on stdout, as a probe reads it
            XCTAssertTrue(text.contains("未知的服务“\(args[args.count - 1])”，可选：intake、verify、risk、notify"), text)
            XCTAssertTrue(text.contains("(one of intake, verify, risk, notify)"), text)
        }
        // Rules exist for the risk monitor and the verifier only.
        let r = try ServiceProcess.gonggu(["rules", "check", "x.json", "--service", "notify"], environment: [:])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("未知的服务“notify”，可选：risk、verify"), r.stderr)
    }
}
