import GongguCore
import GongguEvents
import GongguNotify
import GongguTransport

/// Network frames: the binary event frame every subscriber and replay client decodes
/// (`CanonicalEncoding`), the heartbeat and replay-request frames (`WireFormat`, `ReplayRequest`), and
/// the JSON messages a recipient sends the notifier (`RecipientMessage`).
enum WireTargets {
    static let all: [FuzzTarget] = [event, recipient]

    /// Byte 0 picks the frame: canonical event (even), heartbeat seq (1 mod 4), replay request (3 mod 4).
    static let event = FuzzTarget(
        name: "wire-event", summary: "canonical event frames, heartbeat frames, replay requests",
        dictionary: [[0, 0], [0xFF, 0xFF], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF]]
            + [[0, 0x10, 0, 0]]
            + Tokens.utf8([
                "_HB/intake", DisabilityRecorded.eventType, "220102001001", "\"after\":", "\"limit\":", "\"type\":",
            ])
            + Tokens.json + Tokens.numbers
    ) { input in
        guard let selector = input.first else { return false }
        let frame = Array(input.dropFirst())
        switch selector % 4 {
        case 1:
            _ = WireFormat.isHeartbeat(frame)
            guard let seq = try? WireFormat.decodeSeq(frame) else { return false }
            FuzzCheck.require(WireFormat.encodeSeq(seq) == frame, "heartbeat seq does not round-trip")
            return true
        case 3:
            guard let request = try? ReplayRequest(json: frame) else { return false }
            FuzzCheck.require(request.after >= 0 && request.limit > 0, "replay request out of range accepted")
            FuzzCheck.require(request.limit <= ReplayRequest.maxLimit, "replay limit above the maximum")
            let again = try? ReplayRequest(json: request.json)
            FuzzCheck.require(again == request, "replay request does not round-trip")
            return true
        default:
            guard let decoded = try? CanonicalEncoding.decode(frame) else { return false }
            FuzzCheck.require(decoded.payload.count <= CanonicalEncoding.maxPayload, "oversized payload accepted")
            // A decoded frame re-encodes to bytes that decode to the same event (strings may have been
            // repaired from invalid UTF-8, so compare events, not bytes; a repair that grows a string past
            // the 16-bit length field is truncated on re-encoding, which is the documented limit).
            let fits = [decoded.type, decoded.subject, decoded.region].allSatisfy { $0.utf8.count <= Int(UInt16.max) }
            guard fits else { return true }
            let again = try? CanonicalEncoding.decode(CanonicalEncoding.encode(decoded))
            FuzzCheck.require(again == decoded, "event frame does not round-trip")
            return true
        }
    }

    static let recipient = FuzzTarget(
        name: "recipient-wire", summary: "recipient → notifier JSON messages (ack, decision, notification, error)",
        dictionary: Tokens.utf8([
            "\"type\"", "\"ack\"", "\"decision\"", "\"notification\"", "\"error\"", "\"id\"", "\"household\"",
            "\"date\"", "\"inReplyTo\"", "\"measure\"", "\"householdType\"", "\"note\"", "\"source\"", "\"created\"",
            "\"kind\"", "\"region\"", "\"confirmed\"", "\"declined\"", "\"eliminated\"", "\"2025-02-29\"",
            "\"2024-02-29\"", "\"0123456789abcdef0123456789abcdef\"",
        ]) + Tokens.json + Tokens.numbers + Tokens.badUTF8
    ) { input in
        // Notifications are bigger than what a recipient may send; decode them within their own limit.
        let limit = input.first.map { $0 & 1 == 0 } ?? true
            ? RecipientMessage.maxInboundBytes : RecipientMessage.maxNotificationBytes
        do {
            let message = try RecipientMessage.decode(input, maxBytes: limit)
            FuzzCheck.require(input.count <= limit, "message above the size limit accepted")
            let again = try? RecipientMessage.decode(message.encoded(), maxBytes: RecipientMessage.maxNotificationBytes)
            FuzzCheck.require(again == message, "recipient message does not round-trip")
            return true
        } catch let error as WireError {
            FuzzCheck.require(!error.chinese.isEmpty, "wire error without a Chinese message")
            _ = RecipientMessage.error(error).encoded()
            return false
        } catch {
            FuzzCheck.require(false, "RecipientMessage.decode threw a \(type(of: error)), not a WireError")
            return false
        }
    }
}
