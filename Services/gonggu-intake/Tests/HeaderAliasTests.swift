import Foundation
import XCTest

@testable import GongguIntake

final class HeaderAliasTests: XCTestCase {
    func testNormalisation() {
        XCTAssertEqual(HeaderName.normalise(" *身份证号 "), "身份证号")
        XCTAssertEqual(HeaderName.normalise("\u{FEFF}身份证号"), "身份证号")
        XCTAssertEqual(HeaderName.normalise("ID_Number"), "idnumber")
        XCTAssertEqual(HeaderName.normalise("家庭纯收入（元）"), "家庭纯收入")
        XCTAssertEqual(HeaderName.normalise("amount (yuan)"), "amount")
    }

    func testEveryAliasNamesExactlyOneFieldOfItsKind() {
        for kind in RecordKind.allCases {
            var owner: [String: String] = [:]
            for spec in kind.fields {
                for name in spec.allNames {
                    let n = HeaderName.normalise(name)
                    if let other = owner[n], other != spec.name {
                        XCTFail("\(kind): \(name) names both \(other) and \(spec.name)")
                    }
                    owner[n] = spec.name
                }
            }
            let parser = RecordParser(context: IntakeContext(kind: kind, source: "x", importID: .zero, receivedAt: 0))
            for (slot, spec) in kind.fields.enumerated() {
                for name in spec.allNames { XCTAssertEqual(parser.slot(forHeader: name), slot, "\(kind) \(name)") }
            }
        }
    }

    /// Each kind's `specs` is a table in slot order: the spec at a case's raw value must be that case's.
    func testEverySpecStandsAtTheSlotOfItsCase() {
        func check<F: KindField>(_ kind: RecordKind, _: F.Type) {
            XCTAssertEqual(F.specs.count, F.allCases.count, "\(kind)")
            XCTAssertEqual(kind.fields, F.specs, "\(kind)")
            for f in F.allCases { XCTAssertEqual(f.spec.name, "\(f)", "\(kind)") }
        }
        check(.survey, SurveyField.self)
        check(.member, MemberField.self)
        check(.household, HouseholdField.self)
        check(.income, IncomeField.self)
        check(.assistance, AssistanceField.self)
        check(.pension, PensionField.self)
        check(.subsidy, SubsidyField.self)
        check(.expense, ExpenseField.self)
        check(.project, ProjectField.self)
        check(.visit, VisitField.self)
        check(.life, LifeField.self)
        check(.decision, DecisionField.self)
        check(.document, DocumentField.self)
        check(.receipt, ReceiptField.self)
    }

    func testDocumentationListsEveryKindAndAlias() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/INTAKE.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        for kind in RecordKind.allCases {
            XCTAssertTrue(text.contains("`\(kind.rawValue)`"), "\(kind) not documented")
            for spec in kind.fields {
                for name in spec.allNames { XCTAssertTrue(text.contains(name), "\(kind).\(spec.name): \(name) not documented") }
            }
        }
    }
}
