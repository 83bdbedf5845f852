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
}
