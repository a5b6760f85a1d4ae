import Foundation
import GongguRuntime
import XCTest

/// The metrics endpoint's HTTP edges (`GET /metrics` only, bounded request size and time)
/// over a real loopback socket, and the exposition format's escaping.
final class MetricsServerTests: XCTestCase {
    var server: MetricsServer!

    override func setUpWithError() throws {
        server = MetricsServer { "# HELP x y\n# TYPE x gauge\nx 1\n" }
        try server.start(address: "127.0.0.1:0")
    }

    override func tearDown() { server.stop() }

    /// Sends `bytes` (then nothing more) and reads until the server closes or `timeout` passes.
    func exchange(_ bytes: [UInt8], timeout: TimeInterval = 10) throws -> (reply: String, seconds: Double) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(server.port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        XCTAssertEqual(connected, 0)
        let began = Date()
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(began) < timeout {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            reply += buffer[0..<n]
        }
        return (String(decoding: reply, as: UTF8.self), Date().timeIntervalSince(began))
    }

    func status(_ request: String) throws -> String {
        // "\r\n" is one Character in Swift: cut at the first line break by its bytes.
        let reply = Array(try exchange(Array(request.utf8)).reply.utf8)
        return String(decoding: reply.prefix { $0 != 0x0D }, as: UTF8.self)
    }

    func testOnlyGetMetrics() throws {
        let ok = try exchange(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)).reply
        XCTAssertTrue(ok.hasPrefix("HTTP/1.1 200 OK\r\n"), ok)
        XCTAssertTrue(ok.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), ok)
        XCTAssertTrue(ok.hasSuffix("\r\n\r\n# HELP x y\n# TYPE x gauge\nx 1\n"), ok)
        XCTAssertEqual(try status("GET /metrics?x=1 HTTP/1.0\r\n\r\n"), "HTTP/1.1 200 OK")
        XCTAssertEqual(try status("GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 404 Not Found")
        XCTAssertEqual(try status("GET /metrics/x HTTP/1.1\r\n\r\n"), "HTTP/1.1 404 Not Found")
        XCTAssertEqual(
            try status("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), "HTTP/1.1 405 Method Not Allowed")
        XCTAssertEqual(try status("HEAD /metrics HTTP/1.1\r\n\r\n"), "HTTP/1.1 405 Method Not Allowed")
        XCTAssertEqual(try status("hello\r\n\r\n"), "HTTP/1.1 400 Bad Request")
    }

    func testBoundedRequestAndTime() throws {
        // A head over 8 KiB is refused without waiting for its end.
        let big = "GET /metrics HTTP/1.1\r\nX: " + String(repeating: "a", count: 9000)
        XCTAssertEqual(try status(big), "HTTP/1.1 431 Request Header Fields Too Large")
        // A client that sends nothing is dropped after the 2 s allowed (not held forever), and the
        // server then serves the next one.
        let silent = try exchange([], timeout: 20)
        XCTAssertEqual(silent.reply, "")
        XCTAssertLessThan(silent.seconds, 15)
        XCTAssertGreaterThanOrEqual(silent.seconds, 1.5)
        XCTAssertEqual(try status("GET /metrics HTTP/1.1\r\n\r\n"), "HTTP/1.1 200 OK")
    }

    func testAddressesAreNumericHostAndPort() {
        for bad in ["nowhere", "localhost:9100", "127.0.0.1", "127.0.0.1:x", "[::1]9100", ":9100"] {
            XCTAssertThrowsError(try MetricsServer().start(address: bad), bad)
        }
    }
}

extension MetricsServer {
    convenience init() { self.init { "" } }
}

/// The text exposition format 0.0.4: HELP and label escaping, number forms, cumulative buckets.
final class PrometheusTextTests: XCTestCase {
    func testEscapingAndNumbers() {
        var t = PrometheusText()
        t.family("gonggu_x_total", .counter, "a \\ backslash\nand a line")
        t.sample("gonggu_x_total", [("code", "say \"hi\"\\\n")], 3)
        t.sample("gonggu_x_total", [], 0.25)
        t.sample("gonggu_x_total", [], .infinity)
        t.sample("gonggu_x_total", [], .nan)
        XCTAssertEqual(
            t.text,
            """
            # HELP gonggu_x_total a \\\\ backslash\\nand a line
            # TYPE gonggu_x_total counter
            gonggu_x_total{code="say \\"hi\\"\\\\\\n"} 3
            gonggu_x_total 0.25
            gonggu_x_total +Inf
            gonggu_x_total NaN

            """)
    }

    func testHistogramBucketsAreCumulative() {
        let h = Histogram(bounds: [0.1, 1])
        for v in [0.05, 0.5, 0.7, 3] { h.observe(v) }
        var t = PrometheusText()
        t.histogram("h_seconds", [("service", "risk")], h.current)
        XCTAssertEqual(
            t.text,
            """
            h_seconds_bucket{service="risk",le="0.1"} 1
            h_seconds_bucket{service="risk",le="1"} 3
            h_seconds_bucket{service="risk",le="+Inf"} 4
            h_seconds_sum{service="risk"} 4.25
            h_seconds_count{service="risk"} 4

            """)
    }
}
