import Foundation
import GongguHarness
import XCTest

/// The Debian package (docs/OPERATIONS.md §10), built by `Services/package.sh` from this tree's release
/// binaries, installs with `dpkg -i` in a fresh Debian chroot (`Services/package-test.sh`): units
/// verify, `gonggu status` answers, `dpkg -r` keeps the data, `--purge` keeps the data folder, lintian
/// finds no error. Skips, saying why, when it cannot run here: not root, no dpkg-deb, no static
/// stamped release build (`Services/package.sh` makes one), no cached Debian base tarball.
final class PackageTests: XCTestCase {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
        // Fastest gzip level: the test checks the package, not its size.
        let r = try runToCompletion(
            URL(fileURLWithPath: "/bin/bash"), [tool] + arguments, environment: ["GONGGU_DEB_LEVEL": "1"])
        return (r.status, r.output)
    }

    func testPackageInstallsReinstallsAndRemovesInAFreshDebianChroot() throws {
        guard getuid() == 0 else { throw XCTSkip("package test: needs root (chroot)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb") else {
            throw XCTSkip("package test: dpkg-deb is not installed")
        }
        let release = Self.repository.appendingPathComponent(".build/release").path
        guard FileManager.default.isExecutableFile(atPath: "\(release)/gonggu-intake") else {
            throw XCTSkip("package test: no release build in \(release); Services/package.sh makes one")
        }
        let out = try makeTemporaryDirectory("deb")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, output) = try run(
            Self.repository.appendingPathComponent("Services/package.sh").path, ["--bin-dir", release, "--out", out])
        if status == 65 {
            // Not stamped, or not linked with the static Swift runtime: not a release build for a package.
            throw XCTSkip("package test: \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        XCTAssertEqual(status, 0, output)
        let deb = try XCTUnwrap(output.split(separator: "\n").last.map(String.init), output)
        let (testStatus, report) = try run(
            Self.repository.appendingPathComponent("Services/package-test.sh").path, [deb])
        print(report)
        if report.hasPrefix("SKIP:") { throw XCTSkip("package test: \(report)") }
        XCTAssertEqual(testStatus, 0, report)
        XCTAssertTrue(report.contains("== package test passed"), report)
    }
}
