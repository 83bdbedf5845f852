#ifndef SCHISM_CLIBFUZZER_H
#define SCHISM_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 11 and later), for a program that has its own main: parses
/// libFuzzer's flags from argv and calls `callback` with each input. Only defined when the
/// program is linked with -sanitize=fuzzer; declared here so Swift can call it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
