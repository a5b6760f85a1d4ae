#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GongguCore
import GongguIntake
import GongguRuntime
import GongguTransport

/// A workbook sent to the submission endpoint (`SUBMIT {"kind", "format": "xlsx", "sheet"?}` + the
/// workbook as the next frame): read by `IntakeReader` exactly as `gonggu import` reads a file —
/// header aliases, cell types, the sheet and cell in every rejection — from an unlinked temporary
/// file (the ZIP directory is at the end, and the reader reads by offset).
enum WorkbookSubmission {
    struct Refusal: Error {
        let reply: CommandReply
    }

    static func outcomes(
        _ bytes: [UInt8], kind: RecordKind, sheet: String?, client: String, regionPolicy: RegionPolicy, maxRecords: Int
    ) -> Result<[IntakeOutcome], Refusal> {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((dir + "/gonggu-submission-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            return .failure(Refusal(reply: .error(.unavailable, "服务暂时无法暂存工作簿，请稍后重试 / cannot stage the workbook")))
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                return .failure(Refusal(reply: .error(.unavailable, "服务暂时无法暂存工作簿，请稍后重试 / cannot stage the workbook")))
            }
            done += n
        }
        let context = IntakeContext.receivedNow(
            kind: kind, source: "network:\(client)", regionPolicy: regionPolicy,
            importID: EventID.derived("submit|\(client)|\(SHA256.hash(bytes).hexString)"))
        let reader = IntakeReader(fileDescriptor: fd, context: context, format: .xlsx, sheet: sheet)
        var outcomes: [IntakeOutcome] = []
        do throws(IntakeFileError) {
            while let outcome = try reader.next() {
                outcomes.append(outcome)
                if outcomes.count > maxRecords {
                    return .failure(Refusal(reply: .error(.tooMany, "一次最多提交 \(maxRecords) 条记录 / too many records")))
                }
            }
        } catch {
            // The whole workbook is refused (nothing of it is kept), with intake's Chinese message.
            return .failure(Refusal(reply: .error(.workbook, error.message + " / workbook refused: \(error.code.rawValue)")))
        }
        return .success(outcomes)
    }
}
