#if GONGGU_LIBFUZZER
import Foundation
import GongguFuzz

// The libFuzzer build (docs/FUZZING.md):
//   swift build -c release --product gonggu-fuzz --build-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DGONGGU_LIBFUZZER
//   .build-fuzz/release/gonggu-fuzz --target=NAME [libFuzzer flags] CORPUS_DIR…
// SwiftPM links an executable's entry point as `<module>_main`, so that is where libFuzzer's driver is
// started (libFuzzer's own `main` is then not linked in).

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

nonisolated(unsafe) private var selected: FuzzTarget?
nonisolated(unsafe) private var dictionaryPath: String?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = selected else { return 0 }
    _ = target.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("gonggu_fuzz_main")
public func gongguFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    // `--target=NAME` is ours; everything else goes to libFuzzer, plus a dictionary of the format.
    var rest: [String] = []
    var name: String?
    for i in 0..<Int(argc) {
        let arg = String(cString: argv![i]!)
        if arg.hasPrefix("--target=") { name = String(arg.dropFirst(9)) } else { rest.append(arg) }
    }
    guard let name, let target = FuzzTargets.named(name) else {
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("gonggu-fuzz: --target=NAME is required (\(names))\n".utf8))
        return 64
    }
    do { try target.setUp() } catch {
        FileHandle.standardError.write(Data("gonggu-fuzz: \(error)\n".utf8))
        return 1
    }
    selected = target
    // libFuzzer ends a time-limited run with exit(): clean the temporary files then.
    atexit {
        selected?.tearDown()
        if let dictionaryPath { unlink(dictionaryPath) }
    }
    let dictionary = NSTemporaryDirectory() + "gonggu-fuzz-\(name)-\(getpid()).dict"
    let lines = target.dictionary.map { token in
        "\"" + token.map { String(format: "\\x%02X", $0) }.joined() + "\""
    }
    if FileManager.default.createFile(atPath: dictionary, contents: Data(lines.joined(separator: "\n").utf8)) {
        rest.insert("-dict=\(dictionary)", at: 1)
        dictionaryPath = dictionary
    }
    var cArgs: [UnsafeMutablePointer<CChar>?] = rest.map { strdup($0) } + [nil]
    var count = Int32(rest.count)
    return cArgs.withUnsafeMutableBufferPointer { buffer in
        var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return runDriver(&count, &pointer) { data, size in fuzzOneInput(data, size) }
    }
}
#endif
