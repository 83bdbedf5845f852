// Two builds of one program. Built normally, it replays files through the fuzz targets (the
// regression tests and `scripts/fuzz.sh` use it). Built by `scripts/fuzz.sh` with
// `-sanitize=fuzzer` and `-D SCHISM_LIBFUZZER`, it hands its arguments to libFuzzer's driver,
// which calls `fuzzOne` with each input it generates. See docs/fuzzing.md.
//
// SwiftPM makes this file's code the executable's `main`, so libFuzzer's own `main` is never
// linked; `LLVMFuzzerRunDriver` is libFuzzer's entry point for programs with their own main.

#if SCHISM_LIBFUZZER
import CLibFuzzer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
exit(status)
#else
Replay.main(Array(CommandLine.arguments.dropFirst()))
#endif
