import Control
import Systems

/// The shell scripts that install, start, signal and remove a bring-your-own server on one node.
///
/// Pure text builders (tested without a node). The server is identified by the PID in its
/// pidfile, and that PID is only trusted while the process carries `SCHISM_DAEMON=<root>` in its
/// environment (set by the launcher, kept across `exec`), so a reused PID is never signalled.
/// The launcher runs under `setsid`: the server leads its own process group, and kill, pause and
/// resume signal the whole group. On failure a script prints what went wrong and the log's tail
/// to stderr.
public struct BinaryScripts: Sendable {
    /// The paths on the node.
    public let layout: BinaryLayout
    /// The system's name, for messages.
    public var name: String { layout.name }

    /// Scripts for `layout`.
    public init(layout: BinaryLayout) {
        self.layout = layout
    }

    private func q(_ s: String) -> String { ShellQuote.quote(s) }

    /// Shell functions shared by every script: `is_ours PID`, `gone PID`, `owns_port PID PORT`,
    /// `fail MESSAGE [STATUS]`; and `pid` from the pidfile.
    var prelude: String {
        """
        root=\(q(layout.root)); pidfile=\(q(layout.pidFile)); log=\(q(layout.log))
        is_ours() { [ -n "$1" ] && [ -r "/proc/$1/environ" ] && tr '\\000' '\\n' < "/proc/$1/environ" 2>/dev/null | grep -qxF "SCHISM_DAEMON=$root"; }
        \(DaemonShell.functions)
        """
    }

    /// Creates the folders and, with `resetClock`, (re)writes the faketime file with `+0`.
    public func prepare(resetClock: Bool) -> String {
        var s = "set -e\nmkdir -p \(q(layout.root)) \(q(layout.data)) \(q(layout.cache))\n"
        if resetClock { s += "printf '+0\\n' > \(q(layout.faketimeFile))\n" }
        return s
    }

    /// Installs the Debian packages that are missing (apt-get, non-interactive).
    public func installPackages(_ packages: [String]) -> String {
        let list = packages.map(q).joined(separator: " ")
        return """
            missing=
            for p in \(list); do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"; done
            [ -z "$missing" ] && exit 0
            command -v apt-get >/dev/null || { echo "cannot install$missing: no apt-get on this node" >&2; exit 3; }
            export DEBIAN_FRONTEND=noninteractive
            apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends $missing >&2; } || { echo "apt-get could not install$missing" >&2; exit 3; }

            """
    }

    /// Prints `cached` when the upload with this checksum is already installed, else `missing`.
    public func cacheState(sha256: String) -> String {
        "if [ -f \(q(layout.installDir(sha256: sha256) + "/.schism-complete")) ]; then echo cached; else echo missing; fi\n"
    }

    /// Where an upload is staged before it is checked and installed.
    public func staging(sha256: String) -> String { "\(layout.cache)/\(sha256).upload" }

    /// Checks the staged upload's SHA-256, then installs it into the cache: a file keeps its
    /// name (and mode), a tarball or folder (sent as a tarball) is unpacked. Marks it complete.
    public func finishInstall(sha256: String, kind: BinaryConfig.Artifact.Kind, fileName: String) -> String {
        let dir = layout.installDir(sha256: sha256)
        let staged = staging(sha256: sha256)
        var s = """
            set -e
            staged=\(q(staged)); dir=\(q(dir))
            got=$(sha256sum "$staged" | cut -d' ' -f1)
            if [ "$got" != \(q(sha256)) ]; then rm -f "$staged"; echo "upload corrupted: sha256 $got, expected \(sha256)" >&2; exit 3; fi
            rm -rf "$dir"; mkdir -p "$dir"

            """
        switch kind {
        case .file: s += "mv \"$staged\" \"$dir\"/\(q(fileName))\n"
        case .tarball, .folder: s += "tar -xf \"$staged\" -C \"$dir\"\nrm -f \"$staged\"\n"
        }
        s += "touch \"$dir/.schism-complete\"\n"
        return s
    }

    /// The launcher: writes its PID, marks the environment, optionally preloads libfaketime,
    /// enters the data folder and `exec`s `command` (a shell line).
    public func launcher(command: String, faketime: Bool, libfaketimeCandidates: [String]) -> String {
        var s = "#!/bin/sh\necho $$ > \(q(layout.pidFile))\nexport SCHISM_DAEMON=\(q(layout.root))\n"
        if faketime {
            s += "lib=\nfor p in \(libfaketimeCandidates.map(q).joined(separator: " ")); do "
            s += "if [ -f \"$p\" ]; then lib=$p; break; fi; done\n"
            s += "[ -n \"$lib\" ] || { echo \"libfaketime not found (looked in: \(libfaketimeCandidates.joined(separator: " "))); install Debian's libfaketime\"; exit 3; }\n"
            s += "[ -f \(q(layout.faketimeFile)) ] || printf '+0\\n' > \(q(layout.faketimeFile))\n"
            s += "export LD_PRELOAD=\"$lib\" FAKETIME_TIMESTAMP_FILE=\(q(layout.faketimeFile)) FAKETIME_NO_CACHE=1\n"
        }
        s += "cd \(q(layout.data))\nexec \(command)\n"
        return s
    }

    /// Writes the launcher and starts it as a daemon unless our server already runs; prints the
    /// server's PID once the process runs with our marker (fails if it exits at once).
    public func start(node: String, launcher: String) -> String {
        var s = prelude
        s += "if is_ours \"$pid\"; then echo \"$pid\"; exit 0; fi\n"
        s += "rm -f \"$pidfile\"\nmkdir -p \(q(layout.data))\n"
        s += "cat > \(q(layout.launcher)) <<'SCHISM_LAUNCHER_END'\n\(launcher)SCHISM_LAUNCHER_END\n"
        s += "echo \"=== schism: starting \(name) on \(node) at $(date -u '+%Y-%m-%dT%H:%M:%SZ') ===\" >> \"$log\"\n"
        s += "setsid sh \(q(layout.launcher)) >> \"$log\" 2>&1 < /dev/null &\n"
        s += """
            i=0
            while [ $i -lt 100 ]; do
              pid=$(cat "$pidfile" 2>/dev/null || true)
              if is_ours "$pid"; then echo "$pid"; exit 0; fi
              if [ -n "$pid" ] && gone "$pid"; then fail "\(name) exited right after starting (pid $pid)" 4; fi
              sleep 0.05; i=$((i+1))
            done
            fail "\(name) did not start within 5 s (pidfile: '$pid')" 4

            """
        return s
    }

    /// Waits up to `timeoutSeconds` until our server (PID `expected`) holds `port` (when given)
    /// and `command` (a shell line, when given) exits 0; fails with the log's tail otherwise.
    public func waitReady(expected: String, port: Int?, command: String?, timeoutSeconds: Double) -> String {
        let rounds = max(1, Int(timeoutSeconds / 0.1))
        var check = "true"
        if let port { check += " && owns_port \"$pid\" \(port)" }
        if let command { check += " && ( \(command) ) >/dev/null 2>&1" }
        let what = [port.map { "listening on port \($0)" }, command.map { "`\($0)` exiting 0" }].compactMap { $0 }
        return prelude + """
            pid=\(q(expected))
            i=0
            while [ $i -lt \(rounds) ]; do
              is_ours "$pid" || fail "\(name) (pid $pid) exited before it was ready" 4
              if \(check); then echo ready; exit 0; fi
              sleep 0.1; i=$((i+1))
            done
            fail \(q("\(name) not ready within \(timeoutSeconds) s (waited for \(what.isEmpty ? "the process" : what.joined(separator: " and ")))")) 4

            """
    }

    /// Fails unless the pidfile still names `expected` and that process is ours.
    public func verify(expected: String) -> String {
        prelude + """
            [ "$pid" = \(q(expected)) ] || fail "the pidfile names '$pid', not the \(name) this setup started (pid \(expected))" 7
            is_ours "$pid" || fail "\(name) (pid $pid) that this setup started no longer runs" 7
            echo "verified $pid"

            """
    }

    /// Sends SIGKILL to our server's process group (if it runs) and waits until it is gone.
    public func kill() -> String { prelude + killBody }

    var killBody: String { DaemonShell.killBody(name: name, group: true) }

    /// Sends SIGSTOP (`pause`) or SIGCONT to our server's process group; pausing a stopped server fails.
    public func signal(pause: Bool) -> String {
        prelude + DaemonShell.signalBody(name: name, pause: pause, group: true)
    }

    /// Runs `stop` (a shell line, bounded by 10 s) if the server runs, gives it 5 s to exit,
    /// kills what is left, and removes the server's files (its data too when `wipeData`).
    public func teardown(stop: String?, wipeData: Bool) -> String {
        var s = prelude
        if let stop {
            s += """
                if is_ours "$pid"; then
                  kill -CONT -- "-$pid" 2>/dev/null || true
                  timeout 10 sh -c \(q("cd \(q(layout.data)) 2>/dev/null; \(stop)")) >> "$log" 2>&1 || true
                  i=0; while is_ours "$pid" && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
                fi

                """
        }
        s += killBody
        s += wipeData ? "rm -rf \"$root\" \(q(layout.faketimeFile))\n" : "rm -f \(q(layout.launcher)) \(q(layout.faketimeFile))\n"
        return s
    }

    /// Whether our server runs: prints `running PID`, `paused PID` or `stopped`.
    public func status() -> String {
        prelude + """
            if ! is_ours "$pid"; then echo stopped
            elif grep -q '^[0-9]* (.*) T' "/proc/$pid/stat" 2>/dev/null; then echo "paused $pid"
            else echo "running $pid"; fi

            """
    }

    /// The log's last lines (empty when there is no log).
    public func logTail(lines: Int = DaemonShell.logTailLines) -> String {
        "tail -n \(lines) \(q(layout.log)) 2>/dev/null || true"
    }
}
