import Control
import Systems

/// The shell scripts that create, start, signal and remove PostgreSQL on one node.
///
/// Pure text builders. The server is identified only by the PID in its pidfile, checked to still
/// run our server program (`/proc/PID/exe`) before it is signalled. The postmaster leads its own
/// process group (it is started under `setsid`), and kill, pause and resume signal the whole
/// group: backends serving connections are paused with it and cannot outlive a kill.
public struct PostgresScripts: Sendable {
    /// The deployment settings.
    public let config: PostgresConfig
    /// The paths on the node.
    public let layout: PostgresLayout

    /// Scripts for `node`'s layout.
    public init(config: PostgresConfig, node: NodeConfig) {
        self.config = config
        self.layout = PostgresLayout(node: node)
    }

    private func q(_ s: String) -> String { ShellQuote.quote(s) }

    /// Shell functions shared by every script (they use `i`, so loops use `n`): `is_ours PID`, `group_alive PID`, `owns_port PID
    /// PORT`, `fail MESSAGE [STATUS]`; and `pid` from the pidfile.
    var prelude: String {
        """
        bin=\(q(config.serverBinary)); pidfile=\(q(layout.pidFile)); log=\(q(layout.log))
        is_ours() { [ -n "$1" ] && [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$bin" ]; }
        group_alive() { kill -0 "-$1" 2>/dev/null; }
        \(DaemonShell.functions)
        """
    }

    /// Creates the folders and a fresh database cluster with `initdb`, owned by the server's
    /// user, accepting connections from every address without a password (test nodes only).
    public func initialize() -> String {
        let u = q(config.user)
        return """
            set -e
            id -u \(u) >/dev/null 2>&1 || { echo "no user \(config.user) on this node; install Debian's postgresql (apt-get install postgresql)" >&2; exit 3; }
            [ -x \(q(config.initdbBinary)) ] || { echo "no initdb at \(config.initdbBinary); install Debian's postgresql (apt-get install postgresql) or set db.bin-dir" >&2; exit 3; }
            chmod o+x \(q(layout.dataDir))
            mkdir -p \(q(layout.root)) \(q(layout.socketDir))
            chown \(u) \(q(layout.root)) \(q(layout.socketDir))
            touch \(q(layout.log))
            setpriv --reuid=\(u) --regid="$(id -g \(u))" --init-groups -- \(q(config.initdbBinary)) -D \(q(layout.data)) -U postgres --auth=trust -E UTF8 --no-instructions >> \(q(layout.log)) 2>&1 || { echo "initdb failed" >&2; tail -n 20 \(q(layout.log)) >&2; exit 4; }
            printf 'host all all 0.0.0.0/0 trust\\nhost all all ::/0 trust\\n' >> \(q(layout.data + "/pg_hba.conf"))

            """
    }

    /// A log on a node that runs no server, saying where the server is (so every node has a log
    /// to download).
    public func placeholderLog(primary: String) -> String {
        "mkdir -p \(q(layout.root)) && echo \(q("schism: no PostgreSQL server on this node; the primary runs on \(primary)")) > \(q(layout.log))\n"
    }

    /// The server's command line (without the user switch).
    public var argv: [String] {
        [
            config.serverBinary, "-D", layout.data, "-c", "listen_addresses=*", "-c", "port=\(config.port)",
            "-c", "unix_socket_directories=\(layout.socketDir)", "-c", "max_connections=200",
            "-c", "logging_collector=off",
            // Deadlocks between transactions found in 100 ms (not 1 s, a usual client timeout), and
            // a backend waiting on a lock notices that its client gave up.
            "-c", "deadlock_timeout=100ms", "-c", "client_connection_check_interval=250ms",
        ]
    }

    /// Starts the server as a daemon unless ours already runs; prints its PID once it listens
    /// and accepts connections (`pg_isready`: crash recovery after a kill is over).
    ///
    /// The daemon is `setsid sh -c 'echo $$ >pidfile; exec setpriv … postgres …'`, so the pidfile
    /// holds the postmaster's own PID, which also names its process group.
    public func start() -> String {
        let u = q(config.user)
        var s = prelude
        s += "if is_ours \"$pid\"; then echo \"$pid\"; exit 0; fi\n"
        s += "[ -d \(q(layout.data)) ] || fail \"no database cluster at \(layout.data) (setup runs initdb)\" 3\n"
        s += "rm -f \"$pidfile\"\n"
        s += "echo \"=== schism: starting postgres at $(date -u '+%Y-%m-%dT%H:%M:%SZ') ===\" >> \"$log\"\n"
        let command = ["setpriv", "--reuid=\(config.user)", "--regid=\"$(id -g \(u))\"", "--init-groups", "--"] + argv.map(q)
        s += "setsid sh -c 'echo $$ > \"$0\"; exec \"$@\"' \"$pidfile\" \(command.joined(separator: " "))"
        s += " >> \"$log\" 2>&1 < /dev/null &\n"
        s += """
            n=0
            while [ $n -lt 600 ]; do
              pid=$(cat "$pidfile" 2>/dev/null || true)
              if is_ours "$pid" && owns_port "$pid" \(config.port) && \(q(config.binDir + "/pg_isready")) -q -U postgres -h \(q(layout.socketDir)) -p \(config.port); then echo "$pid"; exit 0; fi
              if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then fail "postgres exited right after starting (pid $pid)" 4; fi
              sleep 0.05; n=$((n+1))
            done
            fail "postgres did not accept connections on port \(config.port) within 30 s (pidfile: '$pid')" 4

            """
        return s
    }

    /// Sends SIGKILL to our server's process group (postmaster and backends) and waits until
    /// every member is gone.
    public func kill() -> String { prelude + killBody }

    var killBody: String {
        """
        if is_ours "$pid"; then
          kill -KILL "-$pid" 2>/dev/null || kill -KILL "$pid" || true
          n=0
          while group_alive "$pid" && [ $n -lt 100 ]; do sleep 0.05; n=$((n+1)); done
          if group_alive "$pid"; then fail "postgres (process group $pid) still runs 5 s after SIGKILL" 5; fi
          echo "killed $pid"
        else
          echo "not running"
        fi
        rm -f "$pidfile"

        """
    }

    /// Sends SIGSTOP (`pause`) or SIGCONT to our server's process group; a no-op when none runs
    /// (only the primary's node runs a server).
    public func signal(pause: Bool) -> String {
        prelude + """
            if ! is_ours "$pid"; then echo "not running"; exit 0; fi
            kill -\(pause ? "STOP" : "CONT") "-$pid"
            echo "\(pause ? "paused" : "resumed") $pid"

            """
    }

    /// Kills our server if it runs, then removes every file it had on the node.
    public func wipe() -> String {
        prelude + killBody + "rm -rf \(q(layout.root))\n"
    }

    /// Fails unless the pidfile names `pid`, it runs our server and holds the server's port.
    public func verify(pid: String) -> String {
        prelude + """
            expected=\(q(pid))
            [ "$pid" = "$expected" ] || fail "the pidfile names '$pid', not the postgres this setup started (pid $expected)" 7
            is_ours "$pid" || fail "postgres (pid $pid) that this setup started no longer runs" 7
            owns_port "$pid" \(config.port) || fail "port \(config.port) is not held by the postgres this setup started (pid $pid); a server left by an earlier run may still answer: stop it, then run again" 7
            echo "verified $pid"

            """
    }

    /// Whether our server runs: prints `running PID`, `paused PID` or `stopped`.
    public func status() -> String {
        prelude + """
            if ! is_ours "$pid"; then echo stopped
            elif grep -q '^[0-9]* (.*) T' "/proc/$pid/stat" 2>/dev/null; then echo "paused $pid"
            else echo "running $pid"; fi

            """
    }
}
