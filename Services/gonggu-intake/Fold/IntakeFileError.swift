/// A problem with a whole file (or a whole submission): nothing after it can be trusted, so the
/// import stops. The message is Chinese, for the staff who sent the file; it never quotes record
/// content, so it is safe to log.
public struct IntakeFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable codes of file-level problems.
    public enum Code: String, Sendable {
        /// The file could not be opened or read.
        case unreadable = "file.unreadable"
        /// The file has no header line.
        case empty = "file.empty"
        /// Required columns are missing from the header; the whole file is refused.
        case missingColumns = "file.missing_columns"
        /// Two header columns name the same field.
        case duplicateColumn = "file.duplicate_column"
        /// Bytes that are not valid in the file's encoding.
        case encoding = "file.encoding"
        /// A quoted field never ends before the end of the file.
        case unterminatedQuote = "file.unterminated_quote"
        /// A record longer than the limit (usually a stray quote swallowing following lines).
        case recordTooLong = "file.record_too_long"
        /// An Excel 97–2003 `.xls` file (or a password-protected workbook, which Excel also stores as
        /// a compound document): staff must save it as `.xlsx`.
        case legacyExcel = "file.legacy_excel"
        /// A workbook part is encrypted.
        case encryptedWorkbook = "file.encrypted_workbook"
        /// A workbook that cannot be read: damaged ZIP, missing or malformed parts, a ZIP bomb.
        case workbook = "file.workbook"
        /// The sheet asked for (`--sheet`) is not in the workbook.
        case noSuchSheet = "file.no_such_sheet"
    }

    /// Stable machine code.
    public let code: Code
    /// Chinese message saying what is wrong and how to fix it.
    public let message: String
    /// Physical line the problem was found at, when known (header = line 1).
    public let line: Int?

    public init(_ code: Code, _ message: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
