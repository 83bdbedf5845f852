#if !SCHISM_LIBFUZZER
import Foundation

/// Replays files through the fuzz targets: how a crash the fuzzer found becomes a regression test.
///
/// `SchismFuzz [--target NAME] PATH...`: each path is a file or a folder (read recursively, in
/// name order). A file runs through `--target` if given; else through the target its name starts
/// with (`edn-deep-nesting` → `edn`) or its folder is named after (`corpus/edn/x`); else through
/// every target. Exits 0 when every file was handled, 64 on a usage error; a bug crashes it.
enum Replay {
    /// Replays `arguments` and exits.
    static func main(_ arguments: [String]) -> Never {
        var forced: FuzzTarget?
        var paths: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "--target" {
                guard let name = rest.popFirst(), let target = FuzzTarget(rawValue: name) else { usage() }
                forced = target
            } else if argument == "--help" || argument == "-h" {
                usage()
            } else {
                paths.append(argument)
            }
        }
        if paths.isEmpty { usage() }
        var files = 0
        var runs = 0
        for path in paths {
            for file in expand(path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileOutput.standardError("SchismFuzz: cannot read \(file)\n")
                    exit(66)
                }
                let bytes = [UInt8](data)
                let targets = forced.map { [$0] } ?? targets(for: file)
                for target in targets {
                    target.run(bytes)
                    runs += 1
                }
                files += 1
            }
        }
        print("replayed \(files) file(s), \(runs) target run(s): no crash")
        exit(0)
    }

    /// The files at `path`: itself, or every regular file below it in name order (dot files skipped).
    static func expand(_ path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            FileOutput.standardError("SchismFuzz: no such file or folder: \(path)\n")
            exit(66)
        }
        guard isFolder.boolValue else { return [path] }
        let names = (FileManager.default.subpaths(atPath: path) ?? []).sorted()
        return names.compactMap { name in
            if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { return nil }
            let full = (path as NSString).appendingPathComponent(name)
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &folder), !folder.boolValue else { return nil }
            return full
        }
    }

    /// The targets a file is meant for, from its name or its folder's name; every target if neither says.
    static func targets(for file: String) -> [FuzzTarget] {
        let url = URL(fileURLWithPath: file)
        let name = url.lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent
        // Longest name first, so that `porcupine-log-x` is not taken for a target called `porcupine`.
        let byLength = FuzzTarget.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        if let target = byLength.first(where: { name == $0.rawValue || name.hasPrefix($0.rawValue + "-") }) {
            return [target]
        }
        if let target = FuzzTarget(rawValue: folder) { return [target] }
        return FuzzTarget.allCases
    }

    /// Prints how to call the program and exits 64.
    static func usage() -> Never {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileOutput.standardError("""
            usage: SchismFuzz [--target NAME] FILE-OR-FOLDER...
            Replays each file through the fuzz target its name or folder names (else through every target).
            Targets: \(names). scripts/fuzz.sh builds the libFuzzer version.

            """)
        exit(64)
    }
}
#endif
