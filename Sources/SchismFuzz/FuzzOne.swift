#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one fuzz input: through the target named by `SCHISM_FUZZ_TARGET`, or else the target
/// its first byte picks (modulo the number of targets) with the rest of the input.
///
/// Returns normally for every input a correct program handles; a crash, a trap or a hang here
/// is a bug in the code under test.
func fuzzOne(_ data: [UInt8]) {
    if let target = FuzzSelection.fixed {
        target.run(data)
        return
    }
    guard let first = data.first else { return }
    let targets = FuzzTarget.allCases
    targets[Int(first) % targets.count].run(Array(data.dropFirst()))
}

/// Which target the fuzzer runs, as the environment names it.
enum FuzzSelection {
    /// The target named by `SCHISM_FUZZ_TARGET`, or nil to pick by the first byte.
    static let fixed: FuzzTarget? = {
        guard let name = getenv("SCHISM_FUZZ_TARGET").map({ String(cString: $0) }), !name.isEmpty else { return nil }
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileOutput.standardError("SCHISM_FUZZ_TARGET=\(name) is not a target; the targets are \(names)\n")
            exit(64)
        }
        return target
    }()
}

/// Writes to standard error without buffering.
enum FileOutput {
    /// Writes `text` to standard error.
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress?.advanced(by: offset), $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }
}
