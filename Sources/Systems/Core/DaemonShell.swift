/// Shell functions shared by the scripts that run daemons on the nodes (etcd, Redis, PostgreSQL,
/// bring-your-own servers).
///
/// Every system's script defines its own `is_ours PID` (how it recognises its daemon) and the
/// variables `pidfile` and `log`; these functions are the same for all of them:
/// - `gone PID`: the process has exited (or is a zombie);
/// - `listeners PORT`: the inodes of the sockets listening on PORT in the node's network namespace;
/// - `owns_port PID PORT`: PID holds every one of them (false when nothing listens);
/// - `fail MESSAGE [STATUS]`: prints MESSAGE and the tail of `$log` to stderr and exits.
public enum DaemonShell {
    /// Lines of a daemon's log printed when a script fails.
    public static let logTailLines = 30

    /// The functions above, and `pid` read from `$pidfile`; put after the script's variables.
    public static let functions = """
        gone() { [ ! -d "/proc/$1" ] || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null; }
        listeners() { awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
        owns_port() {
          _inodes=$(listeners "$2"); [ -n "$_inodes" ] || return 1
          _fds=$(ls -l "/proc/$1/fd" 2>/dev/null)
          for _inode in $_inodes; do case "$_fds" in *"socket:[$_inode]"*) ;; *) return 1 ;; esac; done
        }
        fail() { echo "$1" >&2; if [ -f "$log" ]; then echo "--- $log (last \(logTailLines) lines) ---" >&2; tail -n \(logTailLines) "$log" >&2; fi; exit "${2:-1}"; }
        pid=$(cat "$pidfile" 2>/dev/null || true)

        """

    /// Kills our daemon (`$pid`, when `is_ours`) with SIGKILL, continues it in case it was
    /// paused, waits up to 5 s until it is gone and removes the pidfile; the script goes on.
    /// With `group`, the signals go to the daemon's process group (a daemon started under
    /// `setsid` leads one), so children cannot outlive it.
    public static func killBody(name: String, group: Bool) -> String {
        """
        if is_ours "$pid"; then
          \(send("KILL", group: group)) || true
          \(send("CONT", group: group)) 2>/dev/null || true
          _n=0
          while is_ours "$pid" && ! gone "$pid" && [ $_n -lt 100 ]; do sleep 0.05; _n=$((_n+1)); done
          if is_ours "$pid" && ! gone "$pid"; then fail "\(name) (pid $pid) still runs 5 s after SIGKILL" 5; fi
          echo "killed $pid"
        else
          echo "not running"
        fi
        rm -f "$pidfile"

        """
    }

    /// Pauses (SIGSTOP) or resumes (SIGCONT) our daemon, or its process group with `group`;
    /// pausing a daemon that does not run fails with status 6, resuming it is a no-op.
    public static func signalBody(name: String, pause: Bool, group: Bool) -> String {
        if pause {
            return """
                is_ours "$pid" || fail "\(name) is not running, nothing to pause" 6
                \(send("STOP", group: group))
                echo "paused $pid"

                """
        }
        return """
            if ! is_ours "$pid"; then echo "not running"; exit 0; fi
            \(send("CONT", group: group))
            echo "resumed $pid"

            """
    }

    /// `kill -SIGNAL` to `$pid`, or to its process group and then (if it has none) to it alone.
    private static func send(_ signal: String, group: Bool) -> String {
        group ? "{ kill -\(signal) -- \"-$pid\" 2>/dev/null || kill -\(signal) \"$pid\"; }" : "kill -\(signal) \"$pid\""
    }
}
