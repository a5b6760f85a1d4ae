import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server for Prometheus scrapes: `GET /metrics` and nothing else (404 for another
/// path, 405 for another method, 400 for what is not an HTTP request, 431 for a request head over
/// 8 KiB). One connection at a time on a thread of its own (never the loop thread); each request must
/// arrive within 2 s and its reply is written within 2 s, then the connection closes. Plain POSIX
/// sockets: nothing to configure but the address, which should be loopback or an operations network.
public final class MetricsServer: @unchecked Sendable {
    /// Largest request head read; a longer one is refused with 431.
    public static let maxRequestBytes = 8192
    /// Time a client has to send its request, and the server to write its reply.
    public static let ioTimeoutMs: Int32 = 2000

    private let render: @Sendable () -> String
    private var listener: Int32 = -1
    private var thread: Thread?
    private let lock = NSLock()
    private var stopping = false
    private let stopped = DispatchSemaphore(value: 0)
    /// The port actually bound (useful when the address asked for port 0).
    public private(set) var port: Int = 0

    public init(render: @escaping @Sendable () -> String) {
        self.render = render
    }

    /// Binds `address` (`HOST:PORT`, `[IPv6]:PORT`; numeric hosts only) and starts serving.
    public func start(address: String) throws {
        let (host, portText) = try Self.split(address)
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, portText, &hints, &info) == 0, let ai = info else {
            throw ConfigError.invalid("metrics.listen", "not a numeric HOST:PORT address: \(address)")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw MetricsServerError.socket("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let e = errno
            close(fd)
            throw MetricsServerError.socket("bind \(address)", e)
        }
        guard listen(fd, 16) == 0 else {
            let e = errno
            close(fd)
            throw MetricsServerError.socket("listen \(address)", e)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        port = Int(
            storage.ss_family == sa_family_t(AF_INET6)
                ? withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                }
                : withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
                })
        listener = fd
        let t = Thread { [self] in serve() }
        t.name = "metrics-http"
        thread = t
        t.start()
    }

    /// Stops accepting and waits for the thread (at most one request's timeouts).
    public func stop() {
        lock.lock()
        let wasRunning = thread != nil && !stopping
        stopping = true
        lock.unlock()
        guard wasRunning else { return }
        stopped.wait()
        close(listener)
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func serve() {
        defer { stopped.signal() }
        while !isStopping {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            handle(client)
            lingeringClose(client)
        }
    }

    /// Closes after the reply: a close with unread input would reset the connection, and the client
    /// might lose the reply (a refused oversized request). So: no more output, then read what the
    /// client still sends, for at most 500 ms and 64 KiB.
    private func lingeringClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        let deadline = DispatchTime.now().uptimeNanoseconds + 500_000_000
        var buffer = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained < 65536 {
            let n = Self.receive(fd, &buffer, before: deadline)
            guard n > 0 else { break }
            drained += n
        }
        close(fd)
    }

    /// Waits (until `deadline`) for `fd` to be readable and reads into `buffer`: the bytes read, 0 when
    /// the deadline passed, the peer closed or the read failed.
    private static func receive(_ fd: Int32, _ buffer: inout [UInt8], before deadline: UInt64) -> Int {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < deadline else { return 0 }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32((deadline - now) / 1_000_000) + 1) > 0 else { return 0 }
        return max(0, recv(fd, &buffer, buffer.count, 0))
    }

    private func handle(_ fd: Int32) {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.ioTimeoutMs) * 1_000_000
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while Self.endOfHead(head) == nil {
            guard head.count <= Self.maxRequestBytes else {
                reply(fd, 431, "Request Header Fields Too Large", "request head over \(Self.maxRequestBytes) bytes\n")
                return
            }
            let n = Self.receive(fd, &buffer, before: deadline)
            guard n > 0 else { return }
            head += buffer[0..<n]
        }
        let firstLine = head.prefix { $0 != 0x0D && $0 != 0x0A }
        let parts = String(decoding: firstLine, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else {
            reply(fd, 400, "Bad Request", "not an HTTP/1.x request\n")
            return
        }
        let path = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard path == "/metrics" else {
            reply(fd, 404, "Not Found", "only /metrics is served here\n")
            return
        }
        guard parts[0] == "GET" else {
            reply(fd, 405, "Method Not Allowed", "only GET\n", extra: "Allow: GET\r\n")
            return
        }
        reply(fd, 200, "OK", render(), contentType: PrometheusText.contentType)
    }

    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4)
        where bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D && bytes[i + 3] == 0x0A {
            return i
        }
        return nil
    }

    private func reply(
        _ fd: Int32, _ code: Int, _ reason: String, _ body: String,
        contentType: String = "text/plain; charset=utf-8", extra: String = ""
    ) {
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n"
            + extra + "Connection: close\r\n\r\n"
        let bytes = Array(head.utf8) + bodyBytes
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.ioTimeoutMs) * 1_000_000
        var sent = 0
        while sent < bytes.count {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&p, 1, Int32((deadline - now) / 1_000_000) + 1) > 0 else { return }
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            sent += n
        }
    }

    /// `HOST:PORT` or `[HOST]:PORT`.
    static func split(_ address: String) throws -> (String, String) {
        let bad = ConfigError.invalid("metrics.listen", "expected HOST:PORT or [IPv6]:PORT, got \(address)")
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]"), address[address.index(after: close)...].hasPrefix(":") else {
                throw bad
            }
            let host = String(address[address.index(after: address.startIndex)..<close])
            let port = String(address[address.index(close, offsetBy: 2)...])
            guard !host.isEmpty, UInt16(port) != nil else { throw bad }
            return (host, port)
        }
        guard let colon = address.lastIndex(of: ":") else { throw bad }
        let host = String(address[..<colon])
        let port = String(address[address.index(after: colon)...])
        guard !host.isEmpty, !host.contains(":"), UInt16(port) != nil else { throw bad }
        return (host, port)
    }
}

/// The metrics endpoint could not be opened (address in use, not a local address …).
public struct MetricsServerError: Error, CustomStringConvertible {
    public var call: String
    public var code: Int32

    static func socket(_ call: String, _ code: Int32) -> MetricsServerError { .init(call: call, code: code) }

    public var description: String { "metrics endpoint: \(call) failed: \(String(cString: strerror(code)))" }
}
