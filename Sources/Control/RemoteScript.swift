import Foundation

/// Builds the script sent to sshd for a command: pid report, remote timeout, sudo.
///
/// ```
/// printf '\001schism-pid %d\n' "$$" >&2; exec timeout -k 2 <T> [sudo -n --] sh -c '<script>'
/// ```
/// - The first stderr line reports the pid; because `timeout` is exec'd it keeps that pid
///   and makes itself a process-group leader, so `kill -KILL -- -<pid>` ends the command
///   and everything it started. (sshd refuses signal requests for root, so Schism never
///   relies on them.) The reader strips the line.
/// - `timeout` stops the command on the node even if the connection is lost.
/// - sudo: with a password, the wrapper reads it as the first line of stdin and feeds it to
///   `sudo -S -v` through a shell builtin, so it never appears in any argv or log; the
///   command then runs with `sudo -n`, using the credentials just cached.
public enum RemoteScript {
    /// The marker that starts the first stderr line.
    public static let pidMarker: [UInt8] = Array("\u{1}schism-pid ".utf8)
    /// Seconds between SIGTERM and SIGKILL on the node.
    public static let killAfterSeconds = 2

    /// The script to send, and the stdin to send with it.
    public static func wrap(
        _ command: RemoteCommand, useSudo: Bool, sudoPassword: String?
    ) -> (script: String, stdin: [UInt8]?) {
        let seconds = formatSeconds(command.timeoutSeconds)
        var parts = ["printf '\\001schism-pid %d\\n' \"$$\" >&2"]
        var stdin = command.stdin
        var runner = "exec timeout -k \(killAfterSeconds) \(seconds) "
        if useSudo {
            if let password = sudoPassword {
                parts.append(
                    "IFS= read -r SCHISM_SUDO_PW || exit 126; "
                        + "printf '%s\\n' \"$SCHISM_SUDO_PW\" | sudo -S -p '' -v 2>/dev/null "
                        + "|| { unset SCHISM_SUDO_PW; echo 'schism: sudo rejected the password' >&2; exit 126; }; "
                        + "unset SCHISM_SUDO_PW")
                stdin = Array((password + "\n").utf8) + (command.stdin ?? [])
            }
            runner += "sudo -n -- "
        }
        parts.append(runner + "sh -c " + ShellQuote.quote(command.script))
        return (parts.joined(separator: "; "), stdin)
    }

    /// A command that kills a wrapped command's process group and the process itself.
    public static func killScript(pid: Int32) -> String {
        "kill -KILL -- -\(pid) \(pid) 2>/dev/null; true"
    }

    /// Whether an exit status from `timeout` means the time ran out.
    public static func isTimeoutStatus(_ status: Int32, elapsedSeconds: Double, timeoutSeconds: Double) -> Bool {
        (status == 124 || status == 137) && elapsedSeconds >= timeoutSeconds * 0.98
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let clamped = max(0.01, seconds)
        if clamped == clamped.rounded() { return String(Int(clamped)) }
        return String(format: "%.3f", clamped)
    }
}

/// Splits the pid line off the front of a wrapped command's stderr.
struct PidLineParser {
    private(set) var pid: Int32?
    private var pending: [UInt8] = []
    private var done = false

    /// Feeds stderr bytes; returns the bytes that belong to the command's own stderr.
    mutating func feed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if done { return bytes }
        pending.append(contentsOf: bytes)
        if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            done = true
            let line = pending[..<newline]
            if line.starts(with: RemoteScript.pidMarker) {
                let digits = line.dropFirst(RemoteScript.pidMarker.count)
                pid = Int32(String(decoding: digits, as: UTF8.self))
                return pending[(newline + 1)...]
            }
            return pending[...]
        }
        if pending.count > 64 || !RemoteScript.pidMarker.starts(with: pending.prefix(RemoteScript.pidMarker.count)) {
            done = true
            return pending[...]
        }
        return []
    }
}
