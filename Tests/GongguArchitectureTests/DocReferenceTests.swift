import Foundation
import XCTest

/// What the code and the docs say about documents: every `X.md` they name is in docs/ (or the root
/// README), every section they name exists there, and no comment points at a document outside the
/// repository — the issue tracker, a brief, the design notes the project started from. A reader of the
/// repository has docs/ and nothing else.
final class DocReferenceTests: XCTestCase {
    /// Folders whose text files are read; inside them, folders of data (fuzz corpus, import fixtures)
    /// and this test's own folder (which names the patterns) are left out.
    static let folders = ["Sources", "Tests", "Services", "docker", ".ci"]
    static let skipped = ["Tests/Fuzz/corpus", "Tests/GongguIntakeTests/Fixtures", "Tests/GongguArchitectureTests"]

    /// Citations of what is not in the repository: issue numbers, a brief, the shared design notes.
    static let outsideCitation = try! NSRegularExpression(
        pattern: #"\b[Ii]ssues? [0-9]+|\bthe brief\b|\bshared/|\b(?:DESIGN|DOMAIN)(?:\.md| §)|\bdecisions\.md"#)

    /// `NAME.md`, optionally `docs/` before it, then optionally the section: ` §1.2a`, ` section 3`, or a
    /// quoted heading (`, "Start only on a sound log"` or ` "…"`, also with `\"` inside a Swift string).
    static let reference = try! NSRegularExpression(
        pattern: #"\b([A-Z][A-Za-z0-9_-]*\.md)"#
            + #"(?:\s*,?\s*§\s*([0-9]+(?:\.[0-9]+)*[a-z]?)"#
            + #"|,?\s+section\s+([0-9]+)"#
            + #"|(?:,\s*|\s+)\\?"([A-Z][^"\\\n]{2,80})\\?")?"#)

    struct TextFile {
        let path: String
        let text: String
    }

    static func textFiles(in folders: [String] = folders) throws -> [TextFile] {
        var files: [TextFile] = []
        for folder in folders {
            let url = Repository.root.appendingPathComponent(folder)
            guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { continue }
            while let item = enumerator.nextObject() as? String {
                let path = "\(folder)/\(item)"
                if skipped.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
                let full = Repository.root.appendingPathComponent(path)
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: full.path),
                    attributes[.type] as? FileAttributeType == .typeRegular,
                    (attributes[.size] as? Int ?? 0) < 2_000_000,
                    let data = FileManager.default.contents(atPath: full.path),
                    let text = String(data: data, encoding: .utf8)
                else { continue }
                files.append(TextFile(path: path, text: text))
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The sections of a Markdown document: every heading, and every paragraph or list item that opens
    /// with a bold run-in title (`**The merge of several upstreams** …`, `- **Anchored heads.**`).
    static func sections(of markdown: String) -> [String] {
        var sections: [String] = []
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("#") {
                sections.append(line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces))
            } else {
                let item = line.hasPrefix("- **") ? line.dropFirst(2) : Substring(line)
                if item.hasPrefix("**"), let end = item.dropFirst(2).range(of: "**") {
                    sections.append(String(item.dropFirst(2)[..<end.lowerBound]))
                }
            }
        }
        return sections
    }

    /// Whether `name` opens one of `sections`, with or without its number (`12. Who may…`).
    static func hasSection(named name: String, in sections: [String]) -> Bool {
        let wanted = name.lowercased()
        return sections.contains { section in
            let text = section.lowercased()
            let unnumbered = String(text.drop { $0.isNumber || $0 == "." || $0 == " " })
            return text.hasPrefix(wanted) || unnumbered.hasPrefix(wanted)
        }
    }

    /// Whether a section is numbered `number` (`## 12. Who…`, `### 1.2a Heartbeat`).
    static func hasSection(numbered number: String, in sections: [String]) -> Bool {
        sections.contains { $0.hasPrefix(number + ".") || $0.hasPrefix(number + " ") }
    }

    func testNoCommentCitesADocumentOutsideTheRepository() throws {
        for file in try Self.textFiles() {
            for (index, line) in file.text.components(separatedBy: "\n").enumerated() {
                let ns = line as NSString
                let whole = NSRange(location: 0, length: ns.length)
                guard let match = Self.outsideCitation.firstMatch(in: line, range: whole) else { continue }
                XCTFail(
                    "\(file.path):\(index + 1) cites '\(ns.substring(with: match.range))', which is not in the "
                        + "repository: say the rule itself, or point at a doc in docs/")
            }
        }
    }

    func testDocReferencesResolve() throws {
        let docs = Repository.root.appendingPathComponent("docs")
        var sectionsByDoc: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: docs.path) where name.hasSuffix(".md") {
            sectionsByDoc[name] = Self.sections(of: try Repository.text("docs/\(name)"))
        }
        if Repository.exists("README.md") {
            sectionsByDoc["README.md"] = Self.sections(of: try Repository.text("README.md"))
        }
        var checked = 0
        for file in try Self.textFiles(in: Self.folders + ["docs"]) {
            for (index, line) in file.text.components(separatedBy: "\n").enumerated() {
                let ns = line as NSString
                for match in Self.reference.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                    func group(_ i: Int) -> String? {
                        match.range(at: i).location == NSNotFound ? nil : ns.substring(with: match.range(at: i))
                    }
                    let doc = group(1)!
                    let at = "\(file.path):\(index + 1)"
                    checked += 1
                    guard let sections = sectionsByDoc[doc] else {
                        XCTFail("\(at) names \(doc), which is not in docs/")
                        continue
                    }
                    if let number = group(2) ?? group(3), !Self.hasSection(numbered: number, in: sections) {
                        XCTFail("\(at) names section \(number) of docs/\(doc), which has no section of that number")
                    }
                    if let name = group(4), !Self.hasSection(named: name, in: sections) {
                        XCTFail(
                            "\(at) names the section \"\(name)\" of docs/\(doc), which has no heading that opens so")
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 50, "the scan found almost no doc reference: is the pattern still right?")
    }

    func testReferencePatternReadsEachForm() {
        func parts(_ line: String) -> [String?] {
            let ns = line as NSString
            let whole = NSRange(location: 0, length: ns.length)
            guard let m = Self.reference.firstMatch(in: line, range: whole) else { return [] }
            return (1...4).map { m.range(at: $0).location == NSNotFound ? nil : ns.substring(with: m.range(at: $0)) }
        }
        XCTAssertEqual(parts("(docs/OPERATIONS.md §12)."), ["OPERATIONS.md", "12", nil, nil])
        XCTAssertEqual(parts("docs/PROTOCOL.md §1.2a):"), ["PROTOCOL.md", "1.2a", nil, nil])
        XCTAssertEqual(parts("(docs/OPERATIONS.md, section 3)"), ["OPERATIONS.md", nil, "3", nil])
        XCTAssertEqual(
            parts(#"(docs/RELIABILITY.md, "Start only on a sound log")"#),
            ["RELIABILITY.md", nil, nil, "Start only on a sound log"])
        XCTAssertEqual(parts(#"see docs/X.md \"Backup and restore\")""#), ["X.md", nil, nil, "Backup and restore"])
        XCTAssertEqual(parts(#"XCTFail("see docs/INTAKE.md")"#), ["INTAKE.md", nil, nil, nil])
        XCTAssertTrue(Self.hasSection(named: "Logs", in: ["3. Logs for journald"]))
        XCTAssertEqual(
            Self.sections(of: "## 2. Health\n- **Anchored heads.** The\n**Why** so"),
            ["2. Health", "Anchored heads.", "Why"])
        XCTAssertTrue(Self.hasSection(numbered: "12", in: ["12. Who may drive the services"]))
        XCTAssertFalse(Self.hasSection(numbered: "1", in: ["12. Who may drive the services"]))
    }
}
