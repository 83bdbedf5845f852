import Control
import Systems

/// The shell scripts that install, start, signal and remove etcd on one node.
///
/// Pure text builders (tested without a node). Every script runs with `sh -c` on the node;
/// it identifies the server only by the PID in its pidfile, and checks that this PID still
/// runs our binary (the first word of `/proc/PID/cmdline`) before signalling it, so a reused
/// PID is never hit.
/// On failure a script prints what went wrong and the log's tail to stderr.
public struct EtcdScripts: Sendable {
    /// The deployment settings.
    public let config: EtcdConfig
    /// The paths on the node.
    public let layout: EtcdLayout

    /// Scripts for `node`'s layout.
    public init(config: EtcdConfig, node: NodeConfig) {
        self.config = config
        self.layout = EtcdLayout(node: node)
    }

    private func q(_ s: String) -> String { ShellQuote.quote(s) }

    /// Shell functions shared by every script: `is_ours PID`, `gone PID`, `listeners PORT`
    /// (socket inodes listening on PORT in the node's network namespace), `owns_port PID PORT`
    /// (PID holds every one of them), `fail MESSAGE [STATUS]`; and `pid` from the pidfile.
    var prelude: String {
        """
        bin=\(q(layout.binary)); pidfile=\(q(layout.pidFile)); log=\(q(layout.log))
        is_ours() { [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && [ "$(tr '\\000' '\\n' < "/proc/$1/cmdline" 2>/dev/null | head -n 1)" = "$bin" ]; }
        \(DaemonShell.functions)
        """
    }

    /// Creates the folders and, with `resetClock`, (re)writes the faketime file with `+0`.
    public func prepare(resetClock: Bool) -> String {
        var s = "set -e\nmkdir -p \(q(layout.root)) \(q(layout.data))\n"
        if resetClock { s += "printf '+0\\n' > \(q(layout.faketimeFile))\n" }
        return s
    }

    /// The command line etcd runs with on `node` of `cluster` (without the environment).
    public func argv(node: NodeConfig, cluster: [NodeConfig]) -> [String] {
        let initial = cluster.map { "\($0.name)=\(config.peerURL($0))" }.joined(separator: ",")
        return [
            layout.binary,
            "--name", node.name,
            "--data-dir", layout.data,
            "--listen-client-urls", EtcdConfig.url(host: config.listenAddress, port: config.clientPort),
            "--advertise-client-urls", config.clientURL(node),
            "--listen-peer-urls", EtcdConfig.url(host: config.listenAddress, port: config.peerPort),
            "--initial-advertise-peer-urls", config.peerURL(node),
            "--initial-cluster", initial,
            "--initial-cluster-state", "new",
        ] + (config.clusterToken.map { ["--initial-cluster-token", $0] } ?? []) + config.extraArgs
    }

    /// Starts etcd as a daemon unless our etcd already runs; prints its PID once that process
    /// listens on the client port (so a start that dies at once, e.g. on a bad flag or a port
    /// held by another process, fails here, not at the health deadline).
    ///
    /// The daemon is `setsid sh -c 'echo $$ >pidfile; exec env … etcd …'`, so the pidfile
    /// holds etcd's own PID. Under `faketime`, libfaketime is found on the node and preloaded
    /// with `FAKETIME_TIMESTAMP_FILE` (created with `+0` if missing) and `FAKETIME_NO_CACHE=1`.
    public func start(node: NodeConfig, cluster: [NodeConfig]) -> String {
        var s = prelude
        s += "if is_ours \"$pid\"; then echo \"$pid\"; exit 0; fi\n"
        s += "[ -x \"$bin\" ] || fail \"no etcd binary at $bin (setup uploads it)\" 3\n"
        s += "rm -f \"$pidfile\"\nmkdir -p \(q(layout.data))\n"
        var env = ["env"]
        if node.clock == .faketime {
            let candidates = config.libfaketimePath.map { [$0] } ?? EtcdConfig.libfaketimeCandidates
            s += "lib=\nfor p in \(candidates.map(q).joined(separator: " ")); do "
            s += "if [ -f \"$p\" ]; then lib=$p; break; fi; done\n"
            s += "[ -n \"$lib\" ] || fail \"libfaketime not found on this node (looked in: "
            s += candidates.joined(separator: " ") + "); install Debian's libfaketime\" 3\n"
            s += "[ -f \(q(layout.faketimeFile)) ] || printf '+0\\n' > \(q(layout.faketimeFile))\n"
            env += [
                "\"LD_PRELOAD=$lib\"", q("FAKETIME_TIMESTAMP_FILE=\(layout.faketimeFile)"),
                "FAKETIME_NO_CACHE=1",
            ]
        }
        let command = env + argv(node: node, cluster: cluster).map(q)
        s += "echo \"=== schism: starting etcd on \(node.name) at $(date -u '+%Y-%m-%dT%H:%M:%SZ') ===\" >> \"$log\"\n"
        s += "setsid sh -c 'echo $$ > \"$0\"; exec \"$@\"' \"$pidfile\" \(command.joined(separator: " "))"
        s += " >> \"$log\" 2>&1 < /dev/null &\n"
        s += """
            i=0
            while [ $i -lt 200 ]; do
              pid=$(cat "$pidfile" 2>/dev/null || true)
              if is_ours "$pid" && owns_port "$pid" \(config.clientPort); then echo "$pid"; exit 0; fi
              if [ -n "$pid" ] && gone "$pid"; then fail "etcd exited right after starting (pid $pid)" 4; fi
              sleep 0.05; i=$((i+1))
            done
            fail "etcd did not listen on port \(config.clientPort) within 10 s (pidfile: '$pid')" 4

            """
        return s
    }

    /// Sends SIGKILL to our etcd (if it runs) and waits until it is gone.
    public func kill() -> String {
        prelude + killBody
    }

    /// Kills without exiting the script, so other commands can follow.
    var killBody: String { DaemonShell.killBody(name: "etcd", group: false) }

    /// Sends SIGSTOP (`pause`) or SIGCONT (resume) to our etcd; pausing a stopped server fails.
    public func signal(pause: Bool) -> String {
        prelude + DaemonShell.signalBody(name: "etcd", pause: pause, group: false)
    }

    /// Kills our etcd if it runs, then removes every file etcd had on the node.
    public func wipe() -> String {
        prelude + killBody + "rm -rf \(q(layout.root)) \(q(layout.faketimeFile))\n"
    }

    /// Fails unless the pidfile names `pid`, that process runs our binary, and it holds every
    /// listening socket on etcd's client and peer ports in the node's network namespace
    /// (from `/proc/net/tcp*` and `/proc/PID/fd`); on failure it names the port's holder.
    public func verify(pid: String) -> String {
        prelude + """
            holders() {
              inodes=$(listeners "$1"); [ -n "$inodes" ] || { echo "nothing listens on port $1"; return; }
              for i in $inodes; do
                for d in /proc/[0-9]*; do
                  if ls -l "$d/fd" 2>/dev/null | grep -q "socket:\\[$i\\]"; then
                    echo "port $1 is held by pid ${d#/proc/} ($(tr '\\000' ' ' < "$d/cmdline" 2>/dev/null | cut -c1-300))"; continue 2
                  fi
                done
                echo "port $1 is held by a process this node does not show"
              done
            }
            expected=\(q(pid))
            for port in \(config.clientPort) \(config.peerPort); do
              owns_port "$expected" "$port" || fail "not the etcd this setup started (pid $expected): $(holders "$port"); a daemon left by an earlier run may still answer: stop it, then run again" 7
            done
            [ "$pid" = "$expected" ] || fail "the pidfile names '$pid', not the etcd this setup started (pid $expected)" 7
            is_ours "$pid" || fail "etcd (pid $pid) that this setup started no longer runs" 7
            echo "verified $pid"

            """
    }

    /// Whether our etcd runs: prints `running PID`, `paused PID` or `stopped`.
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
