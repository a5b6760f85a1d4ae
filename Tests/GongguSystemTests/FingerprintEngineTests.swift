import GongguCore
import GongguIntake
import GongguStore
import XCTest

/// Record fingerprints (and so event ids and duplicate detection) do not depend on the SHA-256 engine
/// the edge hands the parser: the CPU's one and the core's Swift one give the same ids.
final class FingerprintEngineTests: XCTestCase {
    private func subsidy(_ compressor: SHA256.Compressor?) -> IntakeOutcome {
        let first17 = "22010219800101001"
        let id = first17 + String(UnicodeScalar(ResidentID.checkCharacter(Array(first17.utf8))))
        let json = #"{"户编号":"H1","区划代码":"220102001001","身份证号":"\#(id)","补贴类型":"生活补贴","发放月份":"202403","发放金额":"80"}"#
        var context = IntakeContext(kind: .subsidy, source: "api", importID: EventID.derived("import-api"), receivedAt: 0)
        context.compressor = compressor
        return RecordParser.parseJSONRecord(Array(json.utf8), context: context)
    }

    func testSelectedEngineGivesTheSwiftEnginesFingerprint() throws {
        let swift = subsidy(nil), selected = subsidy(SHA256Engine.selectedCompressor)
        XCTAssertNotNil(swift.fingerprint)
        XCTAssertEqual(selected.fingerprint, swift.fingerprint)
        XCTAssertEqual(selected.event.id, swift.event.id)
        if SHA256Engine.hardwareAvailable && SHA256Engine.selected.engine == .hardware {
            XCTAssertNotNil(SHA256Engine.selectedCompressor, "on this CPU the edge hands the parser SHA-NI")
        }
    }

    /// The parser hashes with the compressor it is handed: one that leaves the state alone gives
    /// another fingerprint (so the equality above is not the Swift engine compared with itself).
    func testParserUsesTheHandedCompressor() {
        let inert: SHA256.Compressor = { _, _, _ in }
        XCTAssertNotEqual(subsidy(inert).fingerprint, subsidy(nil).fingerprint)
    }
}
