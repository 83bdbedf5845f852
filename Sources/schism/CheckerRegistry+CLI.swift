import Checkers
import Plugins

/// The checkers the command line knows, by name: the built-in registry's.
let checkerRegistry = BuiltIn.registry.checkers
