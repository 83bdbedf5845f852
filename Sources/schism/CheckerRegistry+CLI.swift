import Checkers

/// The checkers the command line knows, by name. The lead replaces this with `BuiltIn.registry.checkers`.
let checkerRegistry = CheckerRegistry([LinearizabilityPlugin()])
