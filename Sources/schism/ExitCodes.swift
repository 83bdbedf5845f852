#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

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
