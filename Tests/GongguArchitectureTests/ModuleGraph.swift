import Foundation

/// The repository this file is in: Tests/GongguArchitectureTests/ is two folders below the root.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }
}

/// Package.swift's targets with the imports of their Swift files.
struct ModuleGraph {
    let manifest: PackageManifest
    /// Target name → the imports of its files.
    let imports: [String: [SourceImports.Import]]
    /// Module name (what `import` names) → target, for every target.
    let targetByModule: [String: PackageManifest.Target]

    init(root: URL = Repository.root) throws {
        manifest = try PackageManifest(text: try Repository.text("Package.swift"))
        var imports: [String: [SourceImports.Import]] = [:]
        for target in manifest.targets {
            imports[target.name] = try SourceImports.imports(of: target, root: root)
        }
        self.imports = imports
        targetByModule = Dictionary(manifest.targets.map { ($0.moduleName, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The targets of the project that `target` imports (itself left out), each with where.
    func projectImports(of target: PackageManifest.Target) -> [(target: String, at: SourceImports.Import)] {
        (imports[target.name] ?? []).compactMap { found in
            guard let imported = targetByModule[found.module], imported.name != target.name else { return nil }
            return (imported.name, found)
        }
    }

    /// The modules outside the project a file may import: the platform's (Foundation, Dispatch, the C
    /// library, XCTest) and the compiler's own clang module of the x86 intrinsics headers,
    /// `_Builtin_intrinsics` (GongguSHANI, and GongguStore's CPUID check). The package has no package
    /// dependencies, so nothing else.
    static let systemModules: Set<String> = [
        "Foundation", "FoundationNetworking", "Dispatch", "Glibc", "Darwin", "XCTest", "_Builtin_intrinsics",
    ]

    /// Imports of modules outside the project (Foundation, Glibc, XCTest, …).
    func otherImports(of target: PackageManifest.Target) -> [SourceImports.Import] {
        (imports[target.name] ?? []).filter { targetByModule[$0.module] == nil }
    }

    /// Declared dependencies and imported project modules, by target name.
    var edges: [String: Set<String>] {
        var edges: [String: Set<String>] = [:]
        for target in manifest.targets {
            edges[target.name] = Set(target.dependencies).union(projectImports(of: target).map(\.target))
        }
        return edges
    }

    /// One cycle of `edges` as a path that ends where it starts, or nil.
    static func cycle(in edges: [String: Set<String>]) -> [String]? {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        func visit(_ node: String) -> [String]? {
            if marks[node] == .done { return nil }
            if marks[node] == .visiting, let start = path.firstIndex(of: node) { return Array(path[start...]) + [node] }
            marks[node] = .visiting
            path.append(node)
            for next in (edges[node] ?? []).sorted() {
                if let found = visit(next) { return found }
            }
            path.removeLast()
            marks[node] = .done
            return nil
        }
        for node in edges.keys.sorted() {
            if let found = visit(node) { return found }
        }
        return nil
    }
}

/// The layer table at the top of docs/ARCHITECTURE.md: rows top first, `| Layer | Modules | Other imports |`.
/// Rows with the same layer name are one layer and must be adjacent; the lowest layer has rank 0.
struct LayerTable {
    enum Allowed: Equatable {
        case nothing
        case any
        case only(Set<String>)

        func admits(_ module: String) -> Bool {
            switch self {
            case .nothing: return false
            case .any: return true
            case .only(let modules): return modules.contains(module)
            }
        }
    }

    static let document = "docs/ARCHITECTURE.md"
    static let header = ["Layer", "Modules", "Other imports"]

    /// Module → rank (0 the lowest layer), layer name, other imports allowed, line in the document.
    private(set) var rank: [String: Int] = [:]
    private(set) var layer: [String: String] = [:]
    private(set) var allowed: [String: Allowed] = [:]
    private(set) var line: [String: Int] = [:]
    /// What is wrong with the table itself.
    private(set) var problems: [String] = []

    init(text: String) {
        guard let table = MarkdownTable(in: text, header: Self.header) else {
            problems.append(
                "\(Self.document) has no table with the header | Layer | Modules | Other imports | (the module graph)")
            return
        }
        var layerNames: [String] = []
        var rowsOfLayer: [[Int]] = []
        for (index, cells) in table.rows.enumerated() {
            let lineNumber = table.lines[index]
            guard cells.count == 3 else {
                problems.append("\(Self.document):\(lineNumber): a layer row has 3 cells, this one \(cells.count)")
                continue
            }
            let name = cells[0]
            if let last = layerNames.last, last == name {
                rowsOfLayer[rowsOfLayer.count - 1].append(index)
            } else if layerNames.contains(name) {
                problems.append(
                    "\(Self.document):\(lineNumber): layer '\(name)' appears again after another layer; "
                        + "put the rows of one layer together")
            } else {
                layerNames.append(name)
                rowsOfLayer.append([index])
            }
            let allowedText = cells[2]
            let allowed: Allowed
            if allowedText == "nothing" {
                allowed = .nothing
            } else if allowedText == "any" {
                allowed = .any
            } else {
                let modules = MarkdownTable.codeSpans(allowedText)
                if modules.isEmpty {
                    problems.append(
                        "\(Self.document):\(lineNumber): 'Other imports' is `nothing`, `any` or a list of "
                            + "`Module`s, not '\(allowedText)'")
                }
                allowed = .only(Set(modules))
            }
            let modules = MarkdownTable.codeSpans(cells[1])
            if modules.isEmpty { problems.append("\(Self.document):\(lineNumber): a layer row names no `Module`") }
            for module in modules {
                if let earlier = line[module] {
                    problems.append(
                        "\(Self.document):\(lineNumber): \(module) is already in the row on line \(earlier)")
                    continue
                }
                layer[module] = name
                self.allowed[module] = allowed
                line[module] = lineNumber
            }
        }
        for (position, name) in layerNames.enumerated() {
            for (module, moduleLayer) in layer where moduleLayer == name {
                rank[module] = layerNames.count - 1 - position
            }
        }
    }
}
