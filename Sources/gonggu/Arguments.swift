import Foundation
import GongguRuntime

/// Exit statuses of the CLI, named after sysexits.h.
struct ExitCode: Equatable {
    let rawValue: Int32
    /// Done.
    static let success = ExitCode(rawValue: 0)
    /// A failure without a more specific status.
    static let failure = ExitCode(rawValue: 1)
    /// EX_USAGE: the command was used wrongly (unknown option value, missing argument).
    static let usage = ExitCode(rawValue: 64)
    /// EX_DATAERR: the input data was incorrect (e.g. a rule document refused).
    static let dataError = ExitCode(rawValue: 65)
    /// EX_NOINPUT: an input file did not exist or was not readable.
    static let noInput = ExitCode(rawValue: 66)
    /// EX_UNAVAILABLE: a service needed did not answer.
    static let unavailable = ExitCode(rawValue: 69)
    /// EX_CONFIG: a configuration file is invalid (unknown key, wrong value).
    static let config = ExitCode(rawValue: 78)
}

/// A failure the user must act on, with its exit code (sysexits.h).
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let code: Int32
    init(_ message: String, code: Int32 = 1) {
        self.message = message
        self.code = code
    }
    init(_ message: String, exit: ExitCode) {
        self.message = message
        code = exit.rawValue
    }
    var description: String { message }
}

/// The shared parser (GongguRuntime), under the name the commands use.
typealias Arguments = CommandArguments
typealias UsageError = GongguRuntime.UsageError
