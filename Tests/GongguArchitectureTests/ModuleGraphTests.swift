import Foundation
import XCTest

/// The module graph of Package.swift and the `import` lines of every target, held to the layer table
/// of docs/ARCHITECTURE.md ("Module graph"): acyclic, every imported project module a direct
/// dependency, no import up or sideways, the pure core importing nothing. Data-driven: a new target
/// or a new layer is a row in that table, not a change here.
final class ModuleGraphTests: XCTestCase {
    var graph: ModuleGraph!
    var layers: LayerTable!

    /// The pure core: no import at all, whatever the table says.
    static let core = "GongguCore"
    /// The domain folds: only modules of this project (the core, and the layers between it and them).
    static let folds = ["GongguRisk", "GongguVerify", "GongguNotify"]

    /// Read once for all the tests of this class (every Swift file of the package).
    static let read = Result { (try ModuleGraph(), LayerTable(text: try Repository.text(LayerTable.document))) }

    override func setUpWithError() throws {
        (graph, layers) = try Self.read.get()
    }

    private var modules: [PackageManifest.Target] { graph.manifest.targets.filter { !$0.isTest } }

    func testPackageManifestIsReadWhole() throws {
        let names = graph.manifest.targets.map(\.name)
        XCTAssertEqual(names.count, Set(names).count, "a target read twice from Package.swift: \(names)")
        XCTAssertNotNil(graph.manifest[Self.core], "Package.swift has no \(Self.core): the manifest parser missed it")
        // Every folder under Sources/ and Tests/ is a target the parser found (a target it missed —
        // made by a helper function or a loop, say — would escape every rule below).
        let paths = graph.manifest.targets.map(\.path)
        for top in ["Sources", "Tests"] {
            let folder = Repository.root.appendingPathComponent(top)
            for entry in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
                var isDirectory: ObjCBool = false
                let path = "\(top)/\(entry)"
                guard FileManager.default.fileExists(
                    atPath: Repository.root.appendingPathComponent(path).path, isDirectory: &isDirectory),
                    isDirectory.boolValue
                else { continue }
                let covered = paths.contains { $0 == path || $0.hasPrefix(path + "/") }
                XCTAssertTrue(
                    covered,
                    "\(path) is no target's folder in Package.swift as PackageManifest reads it: "
                        + "extend the parser in Tests/GongguArchitectureTests/PackageManifest.swift")
            }
        }
        for target in graph.manifest.targets where target.kind != .systemLibrary {
            XCTAssertFalse(
                try SourceImports.swiftFiles(under: target.path, root: Repository.root).isEmpty,
                "\(target.name): no Swift file under its path \(target.path)")
        }
    }

    func testGraphIsAcyclic() {
        if let cycle = ModuleGraph.cycle(in: graph.edges) {
            XCTFail("the module graph has a cycle (dependencies and imports): \(cycle.joined(separator: " → "))")
        }
    }

    func testEveryImportedProjectModuleIsADirectDependency() {
        for target in graph.manifest.targets {
            let declared = Set(target.dependencies)
            var undeclared: [String: String] = [:]
            for (imported, at) in graph.projectImports(of: target) where !declared.contains(imported) {
                undeclared[imported] = undeclared[imported] ?? at.location
            }
            for (imported, location) in undeclared.sorted(by: { $0.key < $1.key }) {
                XCTFail(
                    "\(location): \(target.name) imports \(imported) without declaring it: add \"\(imported)\" to "
                        + "\(target.name)'s dependencies in Package.swift (a module imported only through "
                        + "another target's dependencies is not allowed)")
            }
        }
    }

    func testLayerTableCoversExactlyThePackagesModules() {
        for problem in layers.problems { XCTFail(problem) }
        for target in modules where layers.rank[target.name] == nil {
            XCTFail(
                "\(target.name) (Package.swift) is missing from the layer table in \(LayerTable.document) "
                    + "(\"Module graph\"): add it to the row of its layer, or add a row for a new layer")
        }
        for (module, line) in layers.line.sorted(by: { $0.key < $1.key }) {
            guard let target = graph.manifest[module] else {
                XCTFail("\(LayerTable.document):\(line): \(module) is no target of Package.swift: remove or rename it")
                continue
            }
            XCTAssertFalse(target.isTest, "\(LayerTable.document):\(line): \(module) is a test target: leave it out")
        }
    }

    func testNoModuleDependsOnItsOwnLayerOrAbove() {
        for target in modules {
            guard let rank = layers.rank[target.name] else { continue }
            var uses = target.dependencies.map { ($0, "Package.swift (dependencies of \(target.name))") }
            uses += graph.projectImports(of: target).map { ($0.target, $0.at.location) }
            for (used, location) in uses {
                guard let usedRank = layers.rank[used] else { continue }  // reported by the coverage test
                if usedRank >= rank {
                    let how = usedRank == rank ? "of its own layer" : "of a layer above"
                    XCTFail(
                        "\(location): \(target.name) (layer '\(layers.layer[target.name]!)') uses \(used), a module "
                            + "\(how) ('\(layers.layer[used]!)'); a module may use only the layers below its own "
                            + "(\(LayerTable.document), \"Module graph\")")
                }
            }
        }
    }

    func testImportsOutsideTheProjectAreTheLayerTablesOnes() {
        for target in modules {
            guard let allowed = layers.allowed[target.name] else { continue }
            for found in graph.otherImports(of: target) where !allowed.admits(found.module) {
                XCTFail(
                    "\(found.location): \(target.name) imports \(found.module), which its row of the layer table "
                        + "(\(LayerTable.document):\(layers.line[target.name]!)) does not allow")
            }
        }
    }

    /// Outside the project only the platform's and the compiler's modules (`ModuleGraph.systemModules`):
    /// an import of anything else is a package dependency or a typo, in any target, tests included;
    /// the layer table's "Other imports" may name only those.
    func testImportsOutsideTheProjectAreSystemOrCompilerModules() {
        for target in graph.manifest.targets {
            for found in graph.otherImports(of: target) where !ModuleGraph.systemModules.contains(found.module) {
                XCTFail(
                    "\(found.location): \(target.name) imports \(found.module), neither a module of this package "
                        + "nor a system or compiler module (ModuleGraph.systemModules)")
            }
        }
        for (module, line) in layers.line.sorted(by: { $0.key < $1.key }) {
            guard case .only(let allowed)? = layers.allowed[module] else { continue }
            for other in allowed.sorted() where !ModuleGraph.systemModules.contains(other) {
                XCTFail(
                    "\(LayerTable.document):\(line): \(module) may import \(other), which is no system or compiler "
                        + "module (ModuleGraph.systemModules)")
            }
        }
    }

    /// The two rules the design rests on, held here so that the table cannot relax them.
    func testCoreImportsNothingAndTheFoldsOnlyProjectModules() throws {
        let core = try XCTUnwrap(graph.manifest[Self.core])
        for found in graph.imports[core.name] ?? [] {
            XCTFail(
                "\(found.location): \(Self.core) imports \(found.module); "
                    + "the core imports nothing, not even Foundation")
        }
        XCTAssertEqual(core.dependencies, [], "\(Self.core) depends on nothing")
        XCTAssertEqual(layers.allowed[Self.core], .nothing, "the layer table must say `nothing` for \(Self.core)")
        for fold in Self.folds {
            let target = try XCTUnwrap(graph.manifest[fold], "\(fold) is gone from Package.swift: update `folds`")
            for found in graph.otherImports(of: target) {
                XCTFail(
                    "\(found.location): \(fold), a domain fold, imports \(found.module); "
                        + "it imports only project modules")
            }
            XCTAssertEqual(layers.allowed[fold], .nothing, "the layer table must say `nothing` for \(fold)")
        }
    }

    func testCycleFinder() {
        XCTAssertNil(ModuleGraph.cycle(in: ["a": ["b"], "b": ["c"], "c": []]))
        XCTAssertEqual(ModuleGraph.cycle(in: ["a": ["b"], "b": ["c"], "c": ["a"]]), ["a", "b", "c", "a"])
        XCTAssertEqual(ModuleGraph.cycle(in: ["a": ["a"]]), ["a", "a"])
    }

    func testManifestParserReadsEachForm() throws {
        let manifest = try PackageManifest(text: """
            let extras = ["config.json", "systemd"] // two files
            let shared: [Target.Dependency] = ["Base"]
            let package = Package(name: "P", products: [.executable(name: "x", targets: ["x"])], targets: [
                .systemLibrary(name: "CLib", path: "Sources/CLib", providers: [.apt(["lib-dev"])]),
                .target(name: "Base"),  /* .target(name: "Commented") */
                .target(name: "Mid", dependencies: shared + [.target(name: "CLib"), .product(name: "E", package: "e")]),
                .executableTarget(
                    name: "x-y", dependencies: [.byName(name: "Mid")], path: "Services/x-y/", exclude: extras),
                .testTarget(name: "MidTests", dependencies: ["Mid"], path: "Tests/M", exclude: ["corpus"]),
            ])
            """)
        XCTAssertEqual(manifest.targets.map(\.name), ["CLib", "Base", "Mid", "x-y", "MidTests"])
        XCTAssertEqual(manifest["Base"]?.path, "Sources/Base")
        XCTAssertEqual(manifest["Mid"]?.dependencies, ["Base", "CLib"])
        XCTAssertEqual(manifest["x-y"]?.dependencies, ["Mid"])
        XCTAssertEqual(manifest["x-y"]?.path, "Services/x-y")
        XCTAssertEqual(manifest["x-y"]?.exclude, ["config.json", "systemd"])
        XCTAssertEqual(manifest["x-y"]?.moduleName, "x_y")
        XCTAssertEqual(manifest["MidTests"]?.kind, .testTarget)
        XCTAssertThrowsError(try PackageManifest(text: #"targets: [.target(name: "A", dependencies: helper())]"#))
    }

    func testImportScannerReadsEachForm() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("imports-\(UUID()).swift")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
            #if canImport(Glibc)
            import Glibc
            #endif
            @testable import Alpha
            @_implementationOnly import Beta // why
            public import struct Gamma.Thing
            import _Builtin_intrinsics.intel.cpuid
            let script = \"\"\"
                import io, struct, sys
                import Hidden
                \"\"\"
            /* import Commented
            */
            // import Commented
            func f() { _ = "import Quoted" }
            """.write(to: file, atomically: true, encoding: .utf8)
        let found = try SourceImports.imports(inFile: file, relativePath: "f.swift").map(\.module)
        XCTAssertEqual(found, ["Glibc", "Alpha", "Beta", "Gamma", "_Builtin_intrinsics"])
    }
}
