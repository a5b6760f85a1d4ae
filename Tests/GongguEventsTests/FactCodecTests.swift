import GongguCore
import GongguEvents
import XCTest

/// The field tables write the bytes the hand-written writers wrote (key order, omitted nils and
/// false flags, empty arrays kept where they were, nested `source`), and read with one policy.
final class FactCodecTests: XCTestCase {
    let source = SourceRef(file: "a.csv", line: 3)

    func text<P: EventPayload>(_ p: P) -> String { String(decoding: p.jsonBytes, as: UTF8.self) }

    func read<P: EventPayload>(_: P.Type, _ json: String) throws -> P {
        try JSONReader.read(json) { try P(json: &$0) }
    }

    func testDisabilityRecordedWritesFlagsOnlyWhenTrue() throws {
        var d = DisabilityRecorded(
            personID: "P1", householdID: "H1", name: "张三", birthDate: "1970-01-01", gender: "M", cardNumber: "C20",
            category: .physical, grade: 2, labour: .weak, surveyYear: 2025, source: source)
        XCTAssertEqual(
            text(d),
            #"{"personID":"P1","householdID":"H1","name":"张三","birthDate":"1970-01-01","gender":"M","#
                + #""cardNumber":"C20","category":4,"grade":2,"labour":"weak","surveyYear":2025,"#
                + #""source":{"file":"a.csv","line":3}}"#)
        d.orphan = true
        d.autism = true
        d.idConverted = true
        let json = text(d)
        XCTAssertTrue(json.contains(#""surveyYear":2025,"idConverted":true,"orphan":true,"autism":true,"source""#), json)
        XCTAssertEqual(try read(DisabilityRecorded.self, json), d)
    }

    func testOptionalFieldsAreLeftOutWhenNil() throws {
        let a = AssistanceRecorded(householdID: "H1", programme: .dibao, startMonth: "2024-01", monthlyFen: 50_000, source: source)
        XCTAssertEqual(
            text(a),
            #"{"householdID":"H1","programme":"dibao","startMonth":"2024-01","monthlyFen":50000,"#
                + #""source":{"file":"a.csv","line":3}}"#)
        let stopped = AssistanceRecorded(
            householdID: "H1", personID: "P1", programme: .tekun, startMonth: "2024-01", stopMonth: "2024-06",
            stopReason: .death, monthlyFen: -1, source: source)
        XCTAssertEqual(
            text(stopped),
            #"{"householdID":"H1","personID":"P1","programme":"tekun","startMonth":"2024-01","stopMonth":"2024-06","#
                + #""stopReason":"death","monthlyFen":-1,"source":{"file":"a.csv","line":3}}"#)
        XCTAssertEqual(try read(AssistanceRecorded.self, text(stopped)), stopped)
        XCTAssertEqual(try read(AssistanceRecorded.self, text(a)), a)
    }

    func testEmptyArraysAndFalseBooleansStayWhereTheyWereWritten() throws {
        let v = HomeVisitReported(householdID: "H1", date: "2025-03-01", visitor: "", hardship: [], selfApplication: false, source: source)
        XCTAssertEqual(
            text(v),
            #"{"householdID":"H1","date":"2025-03-01","visitor":"","hardship":[],"selfApplication":false,"notes":"","#
                + #""source":{"file":"a.csv","line":3}}"#)
        let p = PensionRecorded(householdID: "H1", personID: "P1", year: 2025, enrolled: false, governmentPaidFen: 0, source: source)
        XCTAssertEqual(
            text(p),
            #"{"householdID":"H1","personID":"P1","year":2025,"enrolled":false,"governmentPaidFen":0,"#
                + #""source":{"file":"a.csv","line":3}}"#)
    }

    func testStringsAreEscapedAsBefore() throws {
        let r = RecordRejected(kind: "survey", file: "x.csv", line: 7, field: "身份证号", reason: "第7行\"错误\"", code: "id.checksum", raw: "a,b\n\tc\\")
        XCTAssertEqual(
            text(r),
            #"{"kind":"survey","file":"x.csv","line":7,"field":"身份证号","reason":"第7行\"错误\"","#
                + #""code":"id.checksum","raw":"a,b\n\tc\\"}"#)
        XCTAssertEqual(try read(RecordRejected.self, text(r)), r)
    }

    func testAMissingRequiredFieldIsRefusedNamingTypeAndField() {
        XCTAssertThrowsError(try read(IncomeAssessed.self, #"{"householdID":"H","year":2025,"members":3,"assessedDate":"x"}"#)) {
            XCTAssertEqual($0 as? EventDecodingError, .missingField(type: "IncomeAssessed", field: "netIncomeFen"))
        }
        XCTAssertThrowsError(try read(MemberRecorded.self, "{}")) {
            XCTAssertEqual($0 as? EventDecodingError, .missingField(type: "MemberRecorded", field: "householdID"))
        }
    }

    func testDefaultedFieldsTakeTheirDeclaredDefaults() throws {
        let m = try read(
            MemberRecorded.self,
            #"{"householdID":"H","personID":"P","birthDate":"2000-01-01","labour":"full","since":"2020-01-01"}"#)
        XCTAssertEqual(m, MemberRecorded(
            householdID: "H", personID: "P", name: "", birthDate: "2000-01-01", labour: .full, since: "2020-01-01",
            source: .unknown))
        let d = try read(
            DisabilityRecorded.self,
            #"{"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":1,"grade":1,"surveyYear":2025}"#)
        XCTAssertEqual(d.labour, LabourCapacity.none)
        XCTAssertEqual(d.gender, "")
        XCTAssertEqual(d.source, .unknown)
        XCTAssertEqual(try read(RecordRejected.self, "{}"), RecordRejected(kind: "", file: "", line: 0, field: "", reason: "", code: "", raw: ""))
    }

    func testUnknownFieldsAreSkippedAndOrderDoesNotMatter() throws {
        let s = SubsidyPaid(householdID: "H", personID: "P", subsidy: .nursing, month: "2025-01", amountFen: 8000, source: source)
        let shuffled = #"{"extra":{"a":[1,2,{"b":null}]},"source":{"line":3,"file":"a.csv","x":1},"amountFen":8000,"#
            + #""month":"2025-01","subsidy":"nursing","personID":"P","householdID":"H","later":true}"#
        XCTAssertEqual(try read(SubsidyPaid.self, shuffled), s)
    }

    func testAValueOutsideItsEnumerationIsRefusedNamingTheField() {
        XCTAssertThrowsError(try read(LifeEventRecorded.self, #"{"householdID":"H","personID":"P","kind":"eloped","date":"d"}"#)) {
            XCTAssertEqual($0 as? EventDecodingError, .invalidValue(type: "LifeEventRecorded", field: "kind"))
        }
        XCTAssertThrowsError(try read(
            DisabilityRecorded.self,
            #"{"personID":"P","householdID":"H","birthDate":"b","cardNumber":"c","category":9,"grade":1,"surveyYear":1}"#)) {
            XCTAssertEqual($0 as? EventDecodingError, .invalidValue(type: "DisabilityRecorded", field: "category"))
        }
    }

    func testEveryFactRoundTripsThroughItsEvent() throws {
        let facts: [any EventPayload] = [
            HouseholdStatusRecorded(householdID: "H", status: .lifted, effectiveDate: "2020-01-01", liftedYear: 2019, source: source),
            IncomeAssessed(householdID: "H", year: 2025, netIncomeFen: 1_234_567, members: 3, assessedDate: "2025-01-01", source: source),
            ExpenseReported(householdID: "H", kind: .inpatient, amountFen: 10, date: "d", department: "医保", source: source),
            ProjectRecorded(projectID: "J", kind: .training, householdID: "H", personID: "P", date: "d", amountFen: 5, source: source),
            LifeEventRecorded(householdID: "H", personID: "P", kind: .movedOut, date: "d", source: source),
            ReceiptRecorded(notificationID: "N", date: "d", result: "已处理", source: source),
            BureauDecisionRecorded(
                householdID: "H", decision: .inclusionConfirmed, date: "d", bureau: "220182", householdType: .monitoredSudden,
                measure: "低保", inReplyTo: "R", source: source),
            DocumentArchived(documentID: "D", category: "policy", title: "T", date: "d", stage: "funds", sha256: "00", source: source),
        ]
        for fact in facts {
            let event = Event(fact, id: EventID(bytes: [UInt8](repeating: 1, count: 16)), subject: "H", region: "220182", occurredAt: 0)
            func check<P: EventPayload & Equatable>(_ p: P) throws {
                XCTAssertEqual(try event.decode(P.self), p)
                XCTAssertEqual(try event.decode(P.self).jsonBytes, event.payload)
            }
            switch fact {
            case let f as HouseholdStatusRecorded: try check(f)
            case let f as IncomeAssessed: try check(f)
            case let f as ExpenseReported: try check(f)
            case let f as ProjectRecorded: try check(f)
            case let f as LifeEventRecorded: try check(f)
            case let f as ReceiptRecorded: try check(f)
            case let f as BureauDecisionRecorded: try check(f)
            case let f as DocumentArchived: try check(f)
            default: XCTFail("unchecked \(type(of: fact))")
            }
        }
        XCTAssertEqual(
            text(facts[6] as! BureauDecisionRecorded),
            #"{"householdID":"H","decision":"inclusionConfirmed","date":"d","bureau":"220182","#
                + #""householdType":"monitoredSudden","measure":"低保","inReplyTo":"R","source":{"file":"a.csv","line":3}}"#)
    }

    /// Moved from GongguCoreTests with the payloads.
    func testFactPayloadRoundTrip() throws {
        var fact = DisabilityRecorded(
            personID: "220102198001011237", householdID: "HH1", name: "张三", birthDate: "1980-01-01", gender: "M",
            cardNumber: "22010219800101123742", category: .physical, grade: 2, labour: .weak, surveyYear: 2025,
            source: SourceRef(file: "survey.csv", line: 3))
        fact.orphan = true
        let event = Event(fact, id: .derived("e"), subject: "HH1", region: "220102001001", occurredAt: 5)
        XCTAssertEqual(try event.decode(DisabilityRecorded.self), fact)
        XCTAssertThrowsError(try event.decode(ClockTicked.self))
    }
}
