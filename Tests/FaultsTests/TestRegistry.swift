import Faults
import Plugins

/// The fault families the tests use: the built-in registry's, so that the tests (and the
/// generated docs table) follow the one list in `Sources/Plugins/BuiltIn.swift`.
enum TestRegistry {
    static let builtIn = BuiltIn.registry.faults
}
