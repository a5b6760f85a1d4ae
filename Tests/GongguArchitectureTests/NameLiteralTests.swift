import Foundation
import XCTest

/// Service names and event type names are written as text in one place each: `Service`
/// (Sources/GongguEvents/Service.swift) and `EventType` (Sources/GongguEvents/EventType.swift).
/// Everywhere else in the non-test sources the code says `Service.risk.rawValue`,
/// `EventType.riskFeedback.rawValue` or `RiskFeedback.eventType`, so a renamed or mistyped name is a
/// compile error, not a silent mismatch. What is not code is not read: comments, and the text of
/// multi-line string literals (rule documents, the sample recipient directory: data, written as data).
/// A string that is a service name but means something else (`gonggu log verify`, the subcommand)
/// carries `// not a service name` on its line or alone on the line above.
final class NameLiteralTests: XCTestCase {
    static let serviceFile = "Sources/GongguEvents/Service.swift"
    static let eventTypeFile = "Sources/GongguEvents/EventType.swift"
    static let notAService = "// not a service name"
    /// Files left out of the event-type check while a branch moves them (each will declare
    /// `EventType.x.rawValue` where it lands). A file here that no longer exists fails the test: take it out.
    static let movingElsewhere: [String] = []

    static let serviceLiteral = try! NSRegularExpression(pattern: #""(intake|verify|risk|notify)""#)

    static func eventTypeNames() throws -> [String] {
        let text = try Repository.text(eventTypeFile)
        let caseLine = try NSRegularExpression(pattern: #"case [A-Za-z]+ = "([A-Za-z]+)""#)
        let ns = text as NSString
        return caseLine.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            ns.substring(with: $0.range(at: 1))
        }
    }

    /// The non-test Swift files of Sources and Services (a room's `Tests/` folder is tests).
    static func sourceFiles() throws -> [String] {
        var paths: [String] = []
        for folder in ["Sources", "Services"] {
            let url = Repository.root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { continue }
            while let item = enumerator.nextObject() as? String {
                guard item.hasSuffix(".swift") else { continue }
                let path = "\(folder)/\(item)"
                if path.split(separator: "/").contains("Tests") { continue }
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    /// The code of each line: comments cut off, lines inside a multi-line string literal empty.
    static func codeLines(_ text: String) -> [String] {
        var inBlock = false
        return text.components(separatedBy: "\n").map { line in
            let quotes = line.components(separatedBy: "\"\"\"").count - 1
            if inBlock {
                if quotes % 2 == 1 { inBlock = false }
                return ""
            }
            if quotes % 2 == 1 {
                inBlock = true
                return String(line[..<line.range(of: "\"\"\"")!.lowerBound])
            }
            return stripComment(line)
        }
    }

    /// The line up to a `//` that is outside any string literal.
    static func stripComment(_ line: String) -> String {
        var inString = false
        var escaped = false
        var previous: Character = " "
        var end = line.endIndex
        for i in line.indices {
            let c = line[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
            } else if c == "\"" {
                inString = true
            } else if c == "/" && previous == "/" {
                end = line.index(before: i)
                break
            }
            previous = inString ? " " : c
        }
        return String(line[..<end])
    }

    func testNoServiceNameLiteralOutsideTheServiceEnum() throws {
        var found: [String] = []
        for path in try Self.sourceFiles() where path != Self.serviceFile {
            let raw = try Repository.text(path).components(separatedBy: "\n")
            for (i, code) in Self.codeLines(try Repository.text(path)).enumerated() {
                let marked = raw[i].contains(Self.notAService)
                    || (i > 0 && raw[i - 1].trimmingCharacters(in: .whitespaces).hasPrefix(Self.notAService))
                if marked { continue }
                let ns = code as NSString
                for m in Self.serviceLiteral.matches(in: code, range: NSRange(location: 0, length: ns.length)) {
                    found.append("\(path):\(i + 1): \(ns.substring(with: m.range))")
                }
            }
        }
        XCTAssertEqual(found, [], "write Service.x.rawValue (or Service) instead of the name as text")
    }

    func testNoEventTypeLiteralOutsideTheEventTypeEnum() throws {
        let names = try Self.eventTypeNames()
        XCTAssertGreaterThan(names.count, 30)
        let literal = try NSRegularExpression(pattern: "\"(" + names.joined(separator: "|") + ")\"")
        for path in Self.movingElsewhere {
            XCTAssertTrue(Repository.exists(path), "\(path) is gone: take it out of NameLiteralTests.movingElsewhere")
        }
        var found: [String] = []
        for path in try Self.sourceFiles() where path != Self.eventTypeFile && !Self.movingElsewhere.contains(path) {
            for (i, code) in Self.codeLines(try Repository.text(path)).enumerated() {
                let ns = code as NSString
                for m in literal.matches(in: code, range: NSRange(location: 0, length: ns.length)) {
                    found.append("\(path):\(i + 1): \(ns.substring(with: m.range))")
                }
            }
        }
        XCTAssertEqual(found, [], "write EventType.x.rawValue (or the payload's eventType) instead of the name as text")
    }

    func testTheScannerReadsOnlyCode() {
        let text = """
            let a = "risk" // "verify"
            /// "notify" in a doc comment
            let b = "a // b", c = "intake"
            let doc = \"\"\"
              {"ruleSet": "risk"}
              \"\"\"
            """
        XCTAssertEqual(
            NameLiteralTests.codeLines(text),
            [#"let a = "risk" "#, "", #"let b = "a // b", c = "intake""#, "let doc = ", "", ""])
    }
}
