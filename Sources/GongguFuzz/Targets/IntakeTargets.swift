#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GongguCore
import GongguIntake

/// CSV in each encoding and JSON Lines through `IntakeReader` (decoder, scanner, record parser,
/// validation), exactly as the intake service reads an imported file.
///
/// Input layout: byte 0 picks the record kind, byte 1 the read chunk size (16 … 16,336 bytes, so
/// multibyte characters and quoted fields are split across chunks at every offset), the rest is the
/// file.
enum IntakeTargets {
    static let all: [FuzzTarget] = [
        target("csv-utf8", "CSV decoded as UTF-8 (forced)", .csv, .utf8, extra: Tokens.badUTF8),
        target(
            "csv-utf8-bom", "CSV with a UTF-8 BOM, encoding detected", .csv, .auto,
            extra: [Tokens.bom] + Tokens.badUTF8),
        target("csv-gb18030", "CSV decoded as GB18030 (iconv)", .csv, .gb18030, extra: Tokens.gb18030 + [Tokens.bom]),
        target(
            "jsonl", "JSON Lines records, encoding detected", .jsonLines, .auto, extra: Tokens.json + Tokens.badUTF8),
        target(
            "xlsx", "Excel workbooks: ZIP directory, DEFLATE, CRC-32, XML parts, cells (byte 1 unused)", .xlsx, .auto,
            extra: xlsxTokens),
    ]

    static let xlsxTokens = Tokens.utf8([
        "PK\u{3}\u{4}", "PK\u{1}\u{2}", "PK\u{5}\u{6}", "<c r=\"B2\" t=\"s\">", "<v>", "</v>", "t=\"inlineStr\"",
        "<is><t>", "</t></is>", "s=\"1\"", "date1904=\"1\"", "&amp;", "&#x4E00;", "<![CDATA[", "]]>",
    ])

    static let csvTokens = Tokens.utf8([
        ",", "\"", "\"\"", "\r\n", "\n", "\r", ",,,,,,,,", "\"a\"\"b\"", " ", "\t", "　",
    ])
    static let headerTokens = Tokens.utf8([
        "身份证号", "户编号", "区划代码", "姓名", "残疾证号", "残疾类别", "残疾等级", "发放月份", "发放金额", "personID", "householdID",
        "region", "一级", "肢体", "是", "否", "护理补贴", "living", "nursing",
    ])

    static func target(
        _ name: String, _ summary: String, _ format: RecordFormat, _ encoding: TextEncoding, extra: [[UInt8]]
    ) -> FuzzTarget {
        let file = ScratchFile(label: name)
        return FuzzTarget(
            name: name, summary: summary, dictionary: csvTokens + headerTokens + Tokens.numbers + Tokens.ids + extra,
            setUp: { try file.open() },
            run: { input in read(input, file: file, format: format, encoding: encoding) })
    }

    static let context = IntakeContext(
        kind: .survey, source: "fuzz.csv", importID: EventID(high: 1, low: 2), receivedAt: 1_750_000_000_000)

    static func read(_ input: [UInt8], file: ScratchFile, format: RecordFormat, encoding: TextEncoding) -> Bool {
        guard input.count >= 2 else { return false }
        var ctx = context
        ctx.kind = RecordKind.allCases[Int(input[0]) % RecordKind.allCases.count]
        let chunk = 16 + Int(input[1]) * 64
        file.replace(with: input[2...])
        let reader = IntakeReader(
            fileDescriptor: file.descriptor, context: ctx, format: format, encoding: encoding, chunkSize: chunk)
        var outcomes = 0
        var refused = false
        do {
            while let outcome = try reader.next() {
                outcomes += 1
                check(outcome)
            }
        } catch {
            refused = true
            FuzzCheck.require(!error.message.isEmpty, "file error without a message")
        }
        FuzzCheck.require(reader.summary.isBalanced, "unbalanced summary \(reader.summary)")
        FuzzCheck.require(reader.summary.read == outcomes, "summary read \(reader.summary.read) ≠ \(outcomes) outcomes")
        return !refused
    }

    /// Every outcome is an event intake can log: JSON payload, a region code (12 digits, or the policy's
    /// default prefix for what has none) inside the configured area, and a rejection carries a reason.
    static func check(_ outcome: IntakeOutcome) {
        let event = outcome.event
        FuzzCheck.require((try? JSONValue.parse(event.payload)) != nil, "\(event.type) payload is not JSON")
        FuzzCheck.require(
            (1...12).contains(event.region.utf8.count) && event.region.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
                && context.regionPolicy.allows(event.region),
            "region is not a code of the configured area")
        if case .rejected = outcome {
            FuzzCheck.require(outcome.rejection.map { !$0.reason.isEmpty } ?? false, "rejection without a reason")
        }
        let decoded = try? CanonicalEncoding.decode(CanonicalEncoding.encode(event))
        FuzzCheck.require(decoded == event, "outcome event does not survive the canonical encoding")
    }
}

/// A temporary file rewritten for every input (the reader takes a descriptor, like an uploaded file).
final class ScratchFile: @unchecked Sendable {
    private let label: String
    private(set) var descriptor: Int32 = -1

    init(label: String) { self.label = label }

    func open() throws {
        guard descriptor < 0 else { return }
        var template = Array("/tmp/gonggu-fuzz-\(label)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FuzzError("cannot create a scratch file for \(label)") }
        // Unlinked at once: nothing is left behind, whatever way the process ends.
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        descriptor = fd
    }

    func replace(with bytes: ArraySlice<UInt8>) {
        if descriptor < 0 { try? open() }
        _ = ftruncate(descriptor, 0)
        var written = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(written))
                if n <= 0 { break }
                written += n
            }
        }
        _ = lseek(descriptor, 0, SEEK_SET)
    }
}

/// A harness problem (not a finding): a target could not be set up, a corpus folder is unreadable.
public struct FuzzError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
