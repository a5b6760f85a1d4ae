import Foundation
import XCTest

/// Renders an HTML page with headless Chromium, for the tests of the pages the CLI writes (the yearly
/// report, `rules diff`, `recipients diff`): a screenshot checked as a PNG of the requested size, and
/// the DOM Chromium built from the file (so a test can see that the SVG and tables were parsed, not
/// just written). Skips the test when Chromium is not installed.
enum HeadlessChromium {
    static func executable() throws -> String {
        guard
            let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            throw XCTSkip(
                "Chromium is not installed (Debian package `chromium`; .ci/install-deps installs it with "
                    + "GONGGU_WITH_EXTRAS=1): the page was not rendered")
        }
        return path
    }

    /// Runs Chromium headless on `page` with `arguments`; returns its exit status and stdout.
    private static func run(_ arguments: [String], page: String) throws -> (Int32, Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try executable())
        p.arguments =
            ["--headless", "--disable-gpu", "--no-sandbox"] + arguments + [URL(fileURLWithPath: page).absoluteString]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }

    /// Screenshots `page` into `png` at `width` × `height` and checks the file: a PNG of that size
    /// with content (more than `minimumBytes`, so not a blank page). Returns the PNG's bytes.
    @discardableResult
    static func screenshot(
        _ page: String, to png: String, width: Int = 1240, height: Int = 1754, minimumBytes: Int = 30_000,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> Data {
        let (status, _) = try run(["--screenshot=\(png)", "--window-size=\(width),\(height)"], page: page)
        XCTAssertEqual(status, 0, "chromium --screenshot", file: file, line: line)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: png), file: file, line: line)
        XCTAssertEqual(
            Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG", file: file, line: line)
        // IHDR: width and height as requested.
        let b = [UInt8](bytes)
        XCTAssertEqual(b[16..<20].reduce(0) { $0 << 8 | Int($1) }, width, file: file, line: line)
        XCTAssertEqual(b[20..<24].reduce(0) { $0 << 8 | Int($1) }, height, file: file, line: line)
        XCTAssertGreaterThan(bytes.count, minimumBytes, "a page with content, not a blank one", file: file, line: line)
        return bytes
    }

    /// The page's DOM as Chromium parsed it (`--dump-dom`).
    static func dom(_ page: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let (status, data) = try run(["--dump-dom"], page: page)
        XCTAssertEqual(status, 0, "chromium --dump-dom", file: file, line: line)
        return String(decoding: data, as: UTF8.self)
    }
}
