import Foundation

/// The `schism` executable built beside the test bundle, for tests that run the real command.
public enum SchismExecutable {
    /// Its path, or nil when it is not built (run `swift build --build-tests` first).
    public static let path: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [dir, dir.deletingLastPathComponent()].map { $0.appendingPathComponent("schism").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
