import Basics

/// A nodes file (or `--nodes` list) that cannot be used, naming the file, line and field.
public struct NodesFileError: Error, Sendable, CustomStringConvertible {
    /// The file (or `--nodes`).
    public var file: String
    /// 1-based line of the offending value, when known.
    public var line: Int?
    /// The field at fault, e.g. `nodes[2].port`.
    public var field: String
    /// What is wrong and what is expected.
    public var message: String
    /// Whether the file itself is missing (exit 66) rather than invalid (exit 65).
    public var fileMissing: Bool

    /// Creates an error.
    public init(file: String, line: Int?, field: String, message: String, fileMissing: Bool = false) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.fileMissing = fileMissing
    }

    /// 66 when the file is missing, 65 when its contents are invalid.
    public var exitCode: Int32 { fileMissing ? ExitStatus.noInput : ExitStatus.dataError }

    /// `file:line: field: message`.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
