import CLibSSH
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A started child process and our ends of its pipes.
struct SpawnedProcess: Sendable {
    var pid: pid_t
    var stdinFD: Int32?
    var stdoutFD: Int32
    var stderrFD: Int32
}

/// posix_spawn with pipes, a fresh process group and default signal handling.
enum Spawner {
    static func spawn(
        _ argv: [String], stdin: Bool, environment: [String: String]?
    ) throws(LocalProcessError) -> SpawnedProcess {
        guard !argv.isEmpty else { throw LocalProcessError(argv: argv, message: "empty command") }
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe2(&outPipe, O_CLOEXEC) == 0, pipe2(&errPipe, O_CLOEXEC) == 0,
            !stdin || pipe2(&inPipe, O_CLOEXEC) == 0
        else {
            throw LocalProcessError(argv: argv, message: "cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let pid: pid_t
        do {
            pid = try spawnWith(argv, actions: &actions, newSession: false, environment: environment)
        } catch {
            for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) }
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        var stdinFD: Int32?
        if stdin {
            close(inPipe[0])
            _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
            stdinFD = inPipe[1]
        }
        return SpawnedProcess(pid: pid, stdinFD: stdinFD, stdoutFD: outPipe[0], stderrFD: errPipe[0])
    }

    static func spawnDetached(_ argv: [String], logPath: String?) throws(LocalProcessError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let full = ["setsid", "--fork"] + argv
        let pid = try spawnWith(full, actions: &actions, newSession: true, environment: nil)
        // `setsid --fork` exits as soon as it has forked; reap it (bounded: 5 s).
        var status: Int32 = 0
        for _ in 0..<500 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || r < 0 { return }
            usleep(10_000)
        }
        throw LocalProcessError(argv: full, message: "setsid did not return within 5 s")
    }

    private static func spawnWith(
        _ argv: [String], actions: inout posix_spawn_file_actions_t, newSession: Bool,
        environment: [String: String]?
    ) throws(LocalProcessError) -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        flags |= newSession ? Int32(SCHISM_POSIX_SPAWN_SETSID) : Int32(POSIX_SPAWN_SETPGROUP)
        posix_spawnattr_setflags(&attr, Int16(flags))
        posix_spawnattr_setpgroup(&attr, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attr, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)

        let envStrings: [String]
        if let environment {
            envStrings = environment.map { "\($0.key)=\($0.value)" }
        } else {
            envStrings = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer {
            for p in cArgv { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attr, &cArgv, &cEnv)
        guard rc == 0 else {
            throw LocalProcessError(argv: argv, message: "cannot start: \(String(cString: strerror(rc)))")
        }
        return pid
    }
}
