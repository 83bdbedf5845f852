/// The models Schism knows, by name.
public enum Models {
    /// Every built-in model; a new model is one file plus a line here.
    public static let all: [any Model] = [
        RegisterModel(allowsCAS: false),
        RegisterModel(allowsCAS: true),
        VersionedRegisterModel(),
        KVModel(),
        MutexModel(),
        MultiRegisterModel(),
        SetModel(),
    ]

    /// The model called `name`, or nil.
    public static func named(_ name: String) -> (any Model)? {
        all.first { $0.name == name }
    }

    /// Every model's name, for messages.
    public static var names: [String] { all.map(\.name) }

    /// The model a history's functions suggest, for when the user names none.
    public static func infer(functions: Set<String>) -> any Model {
        if functions.contains("txn") { return MultiRegisterModel() }
        if functions.contains("acquire") || functions.contains("release") { return MutexModel() }
        if !functions.isDisjoint(with: ["get", "put", "append"]) { return KVModel() }
        if functions.contains("add") { return SetModel() }
        return RegisterModel(allowsCAS: true)
    }
}
