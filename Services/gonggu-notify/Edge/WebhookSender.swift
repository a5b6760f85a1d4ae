import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GongguCore
import GongguEvents
import GongguNotify
import GongguRuntime

/// Delivers notifications to recipients that take HTTP: POST of the notification JSON with
/// `URLSession`, retried with exponential backoff; each success is recorded like a ZeroMQ delivery
/// (`NotificationDelivered`, channel `webhook`) through the service's inbox.
final class WebhookSender: @unchecked Sendable {
    private let session: URLSession
    private let maxAttempts: Int
    private let logger: Logger
    private let delivered: @Sendable (Event) -> Void
    private let queue = DispatchQueue(label: "gonggu.webhooks")

    init(maxAttempts: Int, logger: Logger, delivered: @escaping @Sendable (Event) -> Void) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
        self.maxAttempts = max(1, maxAttempts)
        self.logger = logger
        self.delivered = delivered
    }

    func enqueue(_ n: NotificationCreated, url: String) {
        guard let target = URL(string: url) else {
            logger.error("invalid webhook URL", ["recipient": .string(n.recipient)])
            return
        }
        attempt(n, target, number: 1)
    }

    private func attempt(_ n: NotificationCreated, _ url: URL, number: Int) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(n.notificationID, forHTTPHeaderField: "Idempotency-Key")
        request.httpBody = Data(RecipientMessage.notification(n).encoded())
        session.dataTask(with: request) { [self] _, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if error == nil && (200..<300).contains(status) {
                delivered(
                    Event(
                        NotificationDelivered(notificationID: n.notificationID, recipient: n.recipient, channel: "webhook", attempt: number),
                        id: EventID.derived("delivered|\(n.notificationID)|webhook|\(number)"), subject: n.recipient,
                        region: n.region, occurredAt: Int64(Date().timeIntervalSince1970 * 1000)))
                return
            }
            guard number < maxAttempts else {
                logger.error("webhook delivery gave up", ["recipient": .string(n.recipient), "attempts": .int(number)])
                return
            }
            let delay = min(60.0, 0.5 * pow(2.0, Double(number - 1)))
            queue.asyncAfter(deadline: .now() + delay) { [self] in attempt(n, url, number: number + 1) }
        }.resume()
    }
}
