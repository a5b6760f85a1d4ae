import GongguCore
import GongguEvents
import GongguIntake
import GongguSimulation
import XCTest

final class EncodingTests: XCTestCase {
    /// The survey is GB18030 (not UTF-8, and intake detects it), the assistance file starts with the
    /// UTF-8 BOM, the other files are plain UTF-8.
    func testFileEncodings() throws {
        let dir = try TempDirectory()
        try Simulator(households: 300, seed: 3).write(to: dir.path)
        let survey = try dir.bytes("survey.csv")
        XCTAssertNil(String(validatingUTF8: survey.map { CChar(bitPattern: $0) } + [0]), "survey must not be UTF-8")
        // "身份证号" in GB18030 is C9 ED B7 DD D6 A4 BA C5.
        XCTAssertEqual(Array(survey.prefix(8)), [0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4, 0xBA, 0xC5])
        let reader = try IntakeReader(
            path: dir.path + "/survey.csv",
            context: IntakeContext(kind: .survey, source: "survey.csv", importID: .derived("t"), receivedAt: 0))
        _ = try reader.next()
        XCTAssertEqual(reader.encoding, .gb18030)

        let assistance = try dir.bytes("assistance.csv")
        XCTAssertEqual(Array(assistance.prefix(3)), [0xEF, 0xBB, 0xBF])
        for name in ["member.csv", "income.csv", "subsidy.csv", "visit.jsonl"] {
            let b = try dir.bytes(name)
            XCTAssertNotEqual(Array(b.prefix(3)), [0xEF, 0xBB, 0xBF], name)
            XCTAssertNotNil(String(validatingUTF8: b.map { CChar(bitPattern: $0) } + [0]), name)
        }
    }

    /// Every resident ID in the accepted records passes GB 11643, lies in a Jilin county, and every
    /// card number is the ID plus category and grade.
    func testAcceptedIDsAreValid() throws {
        let dir = try TempDirectory()
        try Simulator(households: 400, seed: 8).write(to: dir.path)
        var checked = 0
        for f in Simulator.files where [.survey, .member, .pension, .subsidy].contains(f.kind) {
            let reader = try IntakeReader(
                path: dir.path + "/" + f.name,
                context: IntakeContext(kind: f.kind, source: f.name, importID: .derived(f.name), receivedAt: 0))
            while let outcome = try reader.next() {
                guard case let .accepted(event, _, _) = outcome else { continue }
                let payload = try JSONValue.parse(event.payload)
                let id = try XCTUnwrap(payload["personID"]?.stringValue)
                guard case let .success(parsed) = ResidentID.parse(id) else {
                    XCTFail("invalid ID in \(f.name)")
                    continue
                }
                XCTAssertFalse(parsed.converted)
                XCTAssertTrue(id.hasPrefix("22"), f.name)
                if let card = payload["cardNumber"]?.stringValue {
                    XCTAssertEqual(card.count, 20)
                    XCTAssertTrue(card.hasPrefix(id))
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }

    /// Grades 3–4 are the majority and physical disability the most common category.
    func testPlausibleProportions() throws {
        let dir = try TempDirectory()
        try Simulator(households: 2000, seed: 21).write(to: dir.path)
        let reader = try IntakeReader(
            path: dir.path + "/survey.csv",
            context: IntakeContext(kind: .survey, source: "survey.csv", importID: .derived("p"), receivedAt: 0))
        var grades = [0, 0, 0, 0, 0], categories = [Int](repeating: 0, count: 8)
        while let outcome = try reader.next() {
            guard case let .accepted(event, _, _) = outcome else { continue }
            let p = try event.decode(DisabilityRecorded.self)
            guard p.surveyYear == 2024 else { continue }
            grades[p.grade] += 1
            categories[p.category.rawValue] += 1
        }
        XCTAssertGreaterThan(grades[3] + grades[4], grades[1] + grades[2])
        XCTAssertEqual(categories.firstIndex(of: categories.max()!), DisabilityCategory.physical.rawValue)
    }
}
