import Control
import Systems

/// The shell scripts that configure, start, signal and remove Redis and Sentinel on one node.
///
/// Pure text builders (tested without a node). A daemon is identified only by the PID in its
/// pidfile, and only signalled while `/proc/PID/exe` is the Redis binary (Redis rewrites its
/// command line, so the executable is what identifies it), so a reused PID is never hit.
/// On failure a script prints what went wrong and the daemon log's tail to stderr.
public struct RedisScripts: Sendable {
    /// The deployment settings.
    public let config: RedisConfig
    /// The node.
    public let node: NodeConfig
    /// The paths on the node.
    public let layout: RedisLayout

    /// Scripts for `node`.
    public init(config: RedisConfig, node: NodeConfig) {
        self.config = config
        self.node = node
        self.layout = RedisLayout(node: node)
    }

    private func q(_ s: String) -> String { ShellQuote.quote(s) }

    /// Shell functions for one daemon: `is_ours PID`, `gone PID`, `listeners PORT`,
    /// `owns_port PID PORT`, `fail MESSAGE [STATUS]`; and `pid` from its pidfile.
    func prelude(_ daemon: RedisDaemon) -> String {
        let files = layout.files(daemon)
        return """
            bin=\(q(config.serverBinary)); pidfile=\(q(files.pid)); log=\(q(files.log))
            realbin=$(readlink -f "$bin" 2>/dev/null || echo "$bin")
            is_ours() { [ -n "$1" ] && [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$realbin" ]; }
            \(DaemonShell.functions)
            """
    }

    /// The port a daemon listens on.
    func port(_ daemon: RedisDaemon) -> Int { daemon == .server ? config.port : config.sentinelPort }

    /// redis.conf: a primary on `primary`, a replica of it elsewhere.
    public func serverConf(primary: NodeConfig) -> String {
        var lines = [
            "bind 0.0.0.0", "port \(config.port)", "protected-mode no", "daemonize no", "logfile \"\"",
            "dir \"\(layout.data)\"", "save \"\"",
        ]
        lines += config.appendOnly ? ["appendonly yes", "appendfsync everysec"] : ["appendonly no"]
        if primary.name != node.name { lines.append("replicaof \(primary.host) \(config.port)") }
        return (lines + config.extraConfig).joined(separator: "\n") + "\n"
    }

    /// sentinel.conf: monitor `primary` with the quorum and Sentinel's short timings.
    public func sentinelConf(primary: NodeConfig, nodeCount: Int) -> String {
        let m = config.masterName
        return [
            "bind 0.0.0.0", "port \(config.sentinelPort)", "protected-mode no", "daemonize no", "logfile \"\"",
            "dir \"\(layout.root)\"",
            "sentinel monitor \(m) \(primary.host) \(config.port) \(config.quorum(nodeCount: nodeCount))",
            "sentinel down-after-milliseconds \(m) \(config.downAfterMilliseconds)",
            "sentinel failover-timeout \(m) \(config.failoverTimeoutMilliseconds)",
            "sentinel parallel-syncs \(m) 1",
        ].joined(separator: "\n") + "\n"
    }

    /// Creates the folders and writes both configuration files.
    public func prepare(primary: NodeConfig, nodeCount: Int) -> String {
        var s = "set -e\nmkdir -p \(q(layout.root)) \(q(layout.data))\n"
        s += "cat > \(q(layout.files(.server).conf)) <<'SCHISM_EOF'\n\(serverConf(primary: primary))SCHISM_EOF\n"
        s += "cat > \(q(layout.files(.sentinel).conf)) <<'SCHISM_EOF'\n\(sentinelConf(primary: primary, nodeCount: nodeCount))SCHISM_EOF\n"
        return s
    }

    /// Starts a daemon unless ours already runs; prints its PID once it listens on its port.
    ///
    /// The daemon is `setsid sh -c 'echo $$ >pidfile; exec redis-server CONF'`, so the pidfile
    /// holds Redis's own PID. It never runs under libfaketime (see ``RedisSystem/readsTimeThroughLibc``).
    public func start(_ daemon: RedisDaemon) -> String {
        let files = layout.files(daemon)
        var s = prelude(daemon)
        s += "if is_ours \"$pid\"; then echo \"$pid\"; exit 0; fi\n"
        s += "[ -x \"$bin\" ] || fail \"no Redis binary at $bin; install Debian's redis-server and redis-sentinel\" 3\n"
        s += "[ -f \(q(files.conf)) ] || fail \"no \(files.conf) (setup writes it)\" 3\n"
        s += "rm -f \"$pidfile\"\n"
        let argv = [config.serverBinary, files.conf] + (daemon == .sentinel ? ["--sentinel"] : [])
        let command = argv.map(q)
        s += "echo \"=== schism: starting \(daemon.rawValue) on \(node.name) at $(date -u '+%Y-%m-%dT%H:%M:%SZ') ===\" >> \"$log\"\n"
        s += "setsid sh -c 'echo $$ > \"$0\"; exec \"$@\"' \"$pidfile\" \(command.joined(separator: " "))"
        s += " >> \"$log\" 2>&1 < /dev/null &\n"
        s += """
            i=0
            while [ $i -lt 200 ]; do
              pid=$(cat "$pidfile" 2>/dev/null || true)
              if is_ours "$pid" && owns_port "$pid" \(port(daemon)); then echo "$pid"; exit 0; fi
              if [ -n "$pid" ] && gone "$pid"; then fail "\(daemon.rawValue) exited right after starting (pid $pid)" 4; fi
              sleep 0.05; i=$((i+1))
            done
            fail "\(daemon.rawValue) did not listen on port \(port(daemon)) within 10 s (pidfile: '$pid')" 4

            """
        return s
    }

    /// Sends SIGKILL to a daemon (if ours runs) and waits until it is gone.
    public func kill(_ daemon: RedisDaemon) -> String {
        prelude(daemon) + killBody(daemon)
    }

    /// Kills without exiting the script, so other commands can follow.
    func killBody(_ daemon: RedisDaemon) -> String { DaemonShell.killBody(name: daemon.rawValue, group: false) }

    /// Sends SIGSTOP (`pause`) or SIGCONT (resume) to a daemon; pausing a stopped one fails.
    public func signal(_ daemon: RedisDaemon, pause: Bool) -> String {
        prelude(daemon) + DaemonShell.signalBody(name: daemon.rawValue, pause: pause, group: false)
    }

    /// Kills both daemons if they run, then removes every file Redis had on the node.
    public func wipe() -> String {
        var s = ""
        for daemon in RedisDaemon.allCases { s += "(\n" + prelude(daemon) + killBody(daemon) + ") || exit $?\n" }
        return s + "rm -rf \(q(layout.root))\n"
    }

    /// Fails unless the daemon's pidfile names `pid`, that process runs Redis, and it holds the
    /// daemon's listening port (else names the port's holder).
    public func verify(_ daemon: RedisDaemon, pid: String) -> String {
        prelude(daemon) + """
            expected=\(q(pid))
            if ! owns_port "$expected" \(port(daemon)); then
              holder=""
              for i in $(listeners \(port(daemon))); do
                for d in /proc/[0-9]*; do
                  if ls -l "$d/fd" 2>/dev/null | grep -q "socket:\\[$i\\]"; then holder="pid ${d#/proc/} ($(readlink "$d/exe" 2>/dev/null))"; break 2; fi
                done
              done
              fail "not the \(daemon.rawValue) this setup started (pid $expected): port \(port(daemon)) is held by ${holder:-nobody}; a daemon left by an earlier run may still answer: stop it, then run again" 7
            fi
            [ "$pid" = "$expected" ] || fail "the pidfile names '$pid', not the \(daemon.rawValue) this setup started (pid $expected)" 7
            is_ours "$pid" || fail "\(daemon.rawValue) (pid $pid) that this setup started no longer runs" 7
            echo "verified $pid"

            """
    }

    /// Whether a daemon runs: prints `running PID`, `paused PID` or `stopped`.
    public func status(_ daemon: RedisDaemon) -> String {
        prelude(daemon) + """
            if ! is_ours "$pid" || gone "$pid"; then echo stopped
            elif grep -q '^[0-9]* (.*) T' "/proc/$pid/stat" 2>/dev/null; then echo "paused $pid"
            else echo "running $pid"; fi

            """
    }

    /// A daemon log's last lines (empty when there is no log).
    public func logTail(_ daemon: RedisDaemon, lines: Int = DaemonShell.logTailLines) -> String {
        "tail -n \(lines) \(q(layout.files(daemon).log)) 2>/dev/null || true"
    }
}
