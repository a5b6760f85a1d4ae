/// One parser under fuzzing: a name, the format's dictionary tokens, and a function that feeds it one
/// input.
///
/// `run` must return normally for every input: the parser either accepted the input or refused it with
/// its error. A crash, a trap or a broken invariant (checked with `FuzzCheck.require`) is a finding; a
/// call that takes longer than the per-input time limit is a hang.
public struct FuzzTarget: Sendable {
    /// Stable name (`csv-utf8`, `rules`, …): the corpus folder and the `--target` value.
    public let name: String
    /// What the target feeds, in one line.
    public let summary: String
    /// Tokens of the format the mutator splices in (delimiters, quotes, BOM, keywords, huge numbers).
    public let dictionary: [[UInt8]]
    /// Prepares state that lives across inputs (temporary files, an in-process service); called once.
    public let setUp: @Sendable () throws -> Void
    /// Feeds one input; returns whether the parser accepted it (`false`: refused with an error).
    public let run: @Sendable ([UInt8]) -> Bool
    /// Removes what `setUp` left in the temporary folder; called when a run ends normally.
    public let tearDown: @Sendable () -> Void

    public init(
        name: String, summary: String, dictionary: [[UInt8]], setUp: @escaping @Sendable () throws -> Void = {},
        tearDown: @escaping @Sendable () -> Void = {}, run: @escaping @Sendable ([UInt8]) -> Bool
    ) {
        self.name = name
        self.summary = summary
        self.dictionary = dictionary
        self.setUp = setUp
        self.tearDown = tearDown
        self.run = run
    }
}

/// Invariant checks inside targets: a violated invariant is a finding, reported like a crash (the
/// input is saved and the process stops) so no engine can mistake it for an accepted input.
public enum FuzzCheck {
    /// Stops the process with `message` unless `condition` holds.
    public static func require(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #file,
        line: UInt = #line
    ) {
        if !condition() { fatalError("fuzz invariant violated: \(message())", file: file, line: line) }
    }
}

/// Dictionary tokens shared by several formats.
enum Tokens {
    static func utf8(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// GB18030 multibyte sequences: two-byte (身 份 证), a four-byte one (U+20000), and truncated leads.
    static let gb18030: [[UInt8]] = [
        [0xC9, 0xED], [0xB7, 0xDD], [0xD6, 0xA4], [0x95, 0x32, 0x82, 0x36], [0x81, 0x30, 0x81, 0x30], [0x81],
        [0xFE], [0x84, 0x31, 0xA4, 0x39], [0xA1, 0xA1],
    ]
    /// Broken UTF-8: a lone continuation, an overlong, a surrogate, a truncated lead, an out-of-range.
    static let badUTF8: [[UInt8]] = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80]]
    static let numbers = utf8([
        "0", "-1", "1e308", "1e309", "-1e309", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "99999999999999999999999999", "0.0000000000000000001", "2.20102E+17", "NaN", "Infinity", "-0", "1.5",
    ])
    static let json = utf8([
        "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u0000", "\\ud800", "\\udc00", "\\u4e2d", "null", "true", "false",
        "{\"a\":", "[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]", "{\"\":{\"\":{\"\":{\"\":",
    ])
    /// Made-up resident-ID shapes (no real person): valid, wrong-length, 15-digit, lower-case x, Excel-damaged.
    static let ids = utf8([
        "220102198001010012", "22010219800101001241", "220102900101123", "22010219700707109x", "220102001001",
        "2024-01", "2025-06-01", "2024年2月", "45323", "'220102198001010012", "２２０１０２",
    ])
}
