/// The models Schism knows, by name.
public enum Models {
    /// Every built-in model; a new model is one file plus a line here.
    public static let all: [any Model] = [
        RegisterModel(allowsCAS: false),
        RegisterModel(allowsCAS: true),
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
}
