import Foundation
import GongguCore
@testable import GongguTransport
import XCTest

/// CURVE with a ZAP allow-list: allowed keys get answers, unknown keys cannot connect at all.
final class CurveTests: XCTestCase {
    static let server = try! CurveKeyPair.generate()
    static let allowedClient = try! CurveKeyPair.generate()
    static let authenticator: ZAPAuthenticator = {
        let a = ZAPAuthenticator(allowed: [allowedClient.publicKey: "bureau-220102"])
        try! a.start()
        return a
    }()

    private func startServer(_ dir: String, maxMessageSize: Int = 1 << 20) throws -> CommandServer {
        let server = CommandServer(
            endpoint: "ipc://\(dir)/curve", curve: (Self.server, Self.authenticator), maxMessageSize: maxMessageSize
        ) {
            return { request in
                CommandReply(status: "OK", body: Array((request.peer ?? "anonymous").utf8))
            }
        }
        try server.start()
        return server
    }

    func testAllowedKeyIsAnsweredAndNamed() throws {
        XCTAssertTrue(ZMQContext.hasCurve)
        let dir = try temporaryDirectory()
        let server = try startServer(dir)
        defer { server.stop() }
        let client = CommandClient(
            stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 3000, curve: (Self.allowedClient, Self.server.publicKey))
        let reply = try client.call("PING", body: [])
        XCTAssertEqual(reply.status, "OK")
        XCTAssertEqual(String(decoding: reply.body, as: UTF8.self), "bureau-220102", "ZAP User-Id names the peer")
    }

    func testUnknownKeyCannotConnect() throws {
        let dir = try temporaryDirectory()
        let server = try startServer(dir)
        defer { server.stop() }
        let stranger = try CurveKeyPair.generate()
        let client = CommandClient(
            stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 700, curve: (stranger, Self.server.publicKey))
        XCTAssertThrowsError(try client.call("PING", body: [])) { error in
            XCTAssertEqual((error as? ZMQError)?.isAgain, true, "no reply ever comes: the handshake was refused")
        }
        // A client without CURVE at all is refused too.
        let plain = CommandClient(stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 700)
        XCTAssertThrowsError(try plain.call("PING", body: []))
    }

    func testRevokedKeyIsRefusedWithoutRestart() throws {
        let dir = try temporaryDirectory()
        let server = try startServer(dir)
        defer {
            server.stop()
            Self.authenticator.update(allowed: [Self.allowedClient.publicKey: "bureau-220102"])
        }
        let other = try CurveKeyPair.generate()
        Self.authenticator.update(allowed: [Self.allowedClient.publicKey: "bureau-220102", other.publicKey: "other"])
        let first = CommandClient(stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 3000, curve: (other, Self.server.publicKey))
        XCTAssertEqual(try first.call("PING", body: []).status, "OK")
        first.close()
        Self.authenticator.update(allowed: [Self.allowedClient.publicKey: "bureau-220102"])
        let again = CommandClient(stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 700, curve: (other, Self.server.publicKey))
        XCTAssertThrowsError(try again.call("PING", body: []))
    }

    func testCurveServerRequiresRunningAuthenticator() throws {
        let socket = try ZMQSocket(.router)
        let idle = ZAPAuthenticator(allowed: [:])
        XCTAssertThrowsError(try socket.makeCurveServer(Self.server, authenticator: idle))
    }

    func testOversizedAndMalformedFramesCostAnErrorNotACrash() throws {
        let dir = try temporaryDirectory()
        let server = try startServer(dir, maxMessageSize: 1024)
        defer { server.stop() }
        let client = CommandClient(
            stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 700, curve: (Self.allowedClient, Self.server.publicKey))
        // Oversized: libzmq drops the connection; no reply, server unharmed.
        XCTAssertThrowsError(try client.call("PING", body: [UInt8](repeating: 1, count: 4096)))
        // Malformed: a single frame gets an error reply.
        let raw = try ZMQSocket(.dealer)
        try raw.makeCurveClient(Self.allowedClient, serverKey: Self.server.publicKey)
        try raw.setReceiveTimeout(3000)
        try raw.connect("ipc://\(dir)/curve")
        try raw.send(Array("ONLYONEFRAME".utf8))
        let reply = try XCTUnwrap(try raw.receiveMessage())
        XCTAssertEqual(String(decoding: reply.parts[0], as: UTF8.self), "ERROR")
        raw.close()
        // And the server still answers normal requests.
        let again = CommandClient(
            stream: "x", endpoint: "ipc://\(dir)/curve", timeoutMs: 3000, curve: (Self.allowedClient, Self.server.publicKey))
        XCTAssertEqual(try again.call("PING", body: []).status, "OK")
    }
}

/// The ZAP address of an ipc peer (`SO_PEERCRED`, as libzmq 4.3.4 and older releases write it).
final class LocalPeerTests: XCTestCase {
    func testIPCPeerAddressesAreParsedAndTCPAddressesAreNot() {
        XCTAssertEqual(LocalPeer(zapAddress: "localhost:1000:100:4242")?.uid, 1000)
        XCTAssertEqual(LocalPeer(zapAddress: "localhost:1000:100:4242")?.gid, 100)
        XCTAssertEqual(LocalPeer(zapAddress: ":0:0:1")?.name, "uid:0(root)")
        XCTAssertNil(LocalPeer(zapAddress: "127.0.0.1"))
        XCTAssertNil(LocalPeer(zapAddress: "::1"))
        XCTAssertNil(LocalPeer(zapAddress: "fe80::1:2:3"))
        XCTAssertNil(LocalPeer(zapAddress: "localhost:x:0:1"))
    }
}
