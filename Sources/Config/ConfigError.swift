/// A workload file or override that cannot be used: where, which field, what is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, or the flag that gave the value (`--reads`).
    public var file: String
    /// 1-based line, nil when the problem is not at one place (e.g. a command-line flag).
    public var line: Int?
    /// The field's path, e.g. `nemesis.interval`.
    public var field: String
    public var message: String

    public init(file: String, line: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `file:line: field: message`.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }
}
