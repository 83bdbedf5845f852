#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// Schism's exit statuses, documented in docs/cli.md.
///
/// 0, 1 and 2 are verdicts (valid, invalid, unknown); the others follow sysexits.h.
enum SchismExit {
    static let valid: Int32 = 0
    static let invalid: Int32 = 1
    static let unknown: Int32 = 2
    /// Bad arguments: an unknown flag, model or format, a malformed value.
    static let usage: Int32 = 64
    /// Input that cannot be read as a history: a malformed line, unpaired operations.
    static let dataError: Int32 = 65
    /// A named file or folder does not exist or cannot be opened.
    static let noInput: Int32 = 66
    /// A host or service cannot be reached.
    static let unavailable: Int32 = 69
    /// A bug in Schism.
    static let internalError: Int32 = 70
    /// An output file cannot be written.
    static let cannotCreate: Int32 = 73
    /// The command needs root.
    static let permission: Int32 = 77
}

/// A failure the user can act on: printed as `schism: <message>` and exits with `code`.
struct UserFacingError: Error, CustomStringConvertible {
    var message: String
    var code: Int32

    var description: String { message }
}

/// Prints a user-facing error to stderr and exits with its code.
func exitWith(_ error: UserFacingError) -> ExitCode {
    printError("schism: \(error.message)")
    return ExitCode(error.code)
}

/// Writes a line to standard error.
func printError(_ text: String) {
    var stderr = StandardError()
    print(text, to: &stderr)
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        let bytes = Array(string.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(2, buf.baseAddress.map { $0 + offset }, buf.count - offset)
            }
            if n <= 0 { return }
            offset += n
        }
    }
}
