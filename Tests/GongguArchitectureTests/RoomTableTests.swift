import Foundation
import XCTest

/// The room table of docs/ARCHITECTURE.md ("Rooms"), `| Concern | Module | Folder | Tests | Doc |`, held
/// to Package.swift: each module of the package has exactly one row, its folder is the target's path,
/// every test target is named in some row's Tests, and the tests and docs a row names exist.
final class RoomTableTests: XCTestCase {
    static let header = ["Concern", "Module", "Folder", "Tests", "Doc"]

    func testRoomTableMatchesThePackage() throws {
        let manifest = try ModuleGraphTests.read.get().0.manifest
        let document = LayerTable.document
        let table = try XCTUnwrap(
            MarkdownTable(in: try Repository.text(document), header: Self.header),
            "\(document) has no table with the header | Concern | Module | Folder | Tests | Doc | (the rooms)")
        let testFiles = Set(
            try SourceImports.swiftFiles(under: "Tests", root: Repository.root).map {
                String($0.split(separator: "/").last!.dropLast(".swift".count))
            })
        var rowOfModule: [String: Int] = [:]
        var testTargetsNamed: Set<String> = []
        for (index, cells) in table.rows.enumerated() {
            let line = "\(document):\(table.lines[index])"
            guard cells.count == Self.header.count else {
                XCTFail("\(line): a room row has \(Self.header.count) cells, this one \(cells.count)")
                continue
            }
            let module = MarkdownTable.codeSpans(cells[1]).first
            let folder = MarkdownTable.codeSpans(cells[2]).first ?? ""
            if let module {
                if let earlier = rowOfModule[module] {
                    XCTFail("\(line): \(module) already has the row on line \(earlier)")
                }
                rowOfModule[module] = table.lines[index]
                if let target = manifest[module] {
                    XCTAssertFalse(target.isTest, "\(line): \(module) is a test target; name it under Tests")
                    XCTAssertEqual(
                        folder, target.path,
                        "\(line): \(module)'s folder is \(target.path) in Package.swift: update the Folder cell")
                } else {
                    XCTFail("\(line): \(module) is no target of Package.swift: remove or rename the row")
                }
            } else {
                XCTAssertTrue(Repository.exists(folder), "\(line): the folder '\(folder)' does not exist")
            }
            for name in MarkdownTable.codeSpans(cells[3]) {
                if let target = manifest[name], target.isTest {
                    testTargetsNamed.insert(name)
                } else {
                    XCTAssertTrue(
                        testFiles.contains(name),
                        "\(line): '\(name)' is neither a test target nor a file \(name).swift under Tests/")
                }
            }
            let words = cells[4].components(separatedBy: CharacterSet(charactersIn: " ,;()`"))
            for doc in words where doc.hasSuffix(".md") {
                XCTAssertTrue(Repository.exists(doc), "\(line): \(doc) does not exist")
            }
        }
        for target in manifest.targets {
            if target.isTest {
                XCTAssertTrue(
                    testTargetsNamed.contains(target.name),
                    "test target \(target.name) is in no row's Tests column of the room table in \(document)")
            } else {
                XCTAssertNotNil(
                    rowOfModule[target.name],
                    "\(target.name) (Package.swift) has no row in the room table of \(document): add one")
            }
        }
    }
}
