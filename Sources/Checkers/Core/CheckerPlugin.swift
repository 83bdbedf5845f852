import Basics

/// A checker as the registry lists it: a name and how to make it from options.
///
/// Options are JSON so that a run can store them in `test.json` and `schism analyze` can make
/// the same checker again; `schism check --checker NAME` gives them from flags.
public protocol CheckerPlugin: Sendable {
    /// The name in workload files, `test.json` and `--checker`, e.g. `linearizability`.
    var name: String { get }
    /// One line for help and error messages.
    var summary: String { get }
    /// Makes the checker; throws when an option is unknown or malformed.
    func make(_ options: [String: JSONValue]) throws(CheckerOptionError) -> any Checker
}

/// A checker and its options, as a workload asks for it and `test.json` stores it.
public struct CheckerSpec: Sendable, Equatable {
    public var name: String
    public var options: [String: JSONValue]

    public init(_ name: String, options: [String: JSONValue] = [:]) {
        self.name = name
        self.options = options
    }

    /// `{"name": ..., "options": {...}}`.
    public var json: JSONValue { .object(["name": .string(name), "options": .object(options)]) }

    /// Reads ``json``; nil when it is not such an object.
    public init?(json: JSONValue) {
        guard case .object(let o) = json, let name = o["name"]?.stringValue else { return nil }
        var options: [String: JSONValue] = [:]
        if case .object(let opts)? = o["options"] { options = opts }
        self.init(name, options: options)
    }
}

/// A checker option that cannot be used: which option, and what is allowed.
public struct CheckerOptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var checker: String
    public var option: String
    public var message: String

    public init(checker: String, option: String, message: String) {
        self.checker = checker
        self.option = option
        self.message = message
    }

    public var description: String { "checker \(checker): option \(option): \(message)" }
}

/// The checkers a registry knows, found by name.
public struct CheckerRegistry: Sendable {
    public var plugins: [any CheckerPlugin]

    public init(_ plugins: [any CheckerPlugin]) {
        self.plugins = plugins
    }

    /// The plug-in named `name`.
    public func plugin(_ name: String) -> (any CheckerPlugin)? { plugins.first { $0.name == name } }

    /// Every name, for messages.
    public var names: [String] { plugins.map(\.name) }

    /// Makes the checker a spec names; throws for an unknown name or a bad option.
    public func make(_ spec: CheckerSpec) throws(CheckerOptionError) -> any Checker {
        guard let plugin = plugin(spec.name) else {
            throw CheckerOptionError(checker: spec.name, option: "name", message: "no such checker; known: \(names.joined(separator: ", "))")
        }
        return try plugin.make(spec.options)
    }
}
