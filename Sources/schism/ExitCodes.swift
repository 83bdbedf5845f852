import Basics
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

/// Prints a user-facing error to stderr (long quoted input cut) and exits with its code.
func exitWith(_ error: UserFacingError) -> ExitCode {
    printError("schism: " + Schism.readable(error.message))
    return ExitCode(error.code)
}

/// Writes a line to standard error.
func printError(_ text: String) {
    LiveLine.clear()
    var stderr = StandardError()
    print(text, to: &stderr)
}

/// Writes a line to standard output at once, unbuffered, so that a long command's lines reach a
/// pipe or a CI log as they happen and in order with standard error.
func printNow(_ text: String) {
    LiveLine.clear()
    var out = UnbufferedOutput(fd: 1)
    print(text, to: &out)
}

/// Standard error as a `TextOutputStream`.
typealias StandardError = UnbufferedOutput

/// A file descriptor (standard error by default) as an unbuffered `TextOutputStream`.
struct UnbufferedOutput: TextOutputStream {
    var fd: Int32 = 2

    mutating func write(_ string: String) {
        let bytes = Array(string.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                Glibc.write(fd, buf.baseAddress.map { $0 + offset }, buf.count - offset)
            }
            if n <= 0 { return }
            offset += n
        }
    }
}
