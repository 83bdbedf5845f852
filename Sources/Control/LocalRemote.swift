import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The controller's own machine as a ``Remote``: commands run with `sh -c`, files are copied.
///
/// Used for the controller's own commands (building, checksums, local clusters) so that
/// code written against ``Remote`` runs the same here and on nodes.
public struct LocalRemote: Remote {
    /// The name used in messages (default `local`).
    public let node: String

    /// Creates the local backend.
    public init(node: String = "local") {
        self.node = node
    }

    /// Nothing to connect.
    public func connect() async throws(RemoteError) {}

    /// Runs the script with `sh -c` (through `sudo -n` when asked and not root).
    public func exec(_ command: RemoteCommand) async throws(RemoteError) -> ExecResult {
        var argv = ["sh", "-c", command.script]
        if command.sudo && geteuid() != 0 {
            argv = ["sudo", "-n", "--"] + argv
        }
        let out: ProcessOutput
        do {
            out = try await LocalProcess.run(
                argv, stdin: command.stdin, timeoutSeconds: command.timeoutSeconds,
                outputLimitBytes: command.outputLimitBytes)
        } catch {
            throw RemoteError(.internalError, node: node, command: command.description, message: error.message)
        }
        if out.timedOut {
            throw RemoteError(
                .timedOut, node: node, command: command.description,
                stderrTail: tailLines(out.stderrText),
                message: "still running after \(command.timeoutSeconds) s; stopped it (and its process group)",
                hint: "raise the command's timeout if it legitimately takes longer")
        }
        return ExecResult(
            node: node, command: command.description, exitStatus: out.exitStatus, stdout: out.stdout,
            stderr: out.stderr, stdoutDroppedBytes: out.stdoutDroppedBytes,
            stderrDroppedBytes: out.stderrDroppedBytes, durationSeconds: out.durationSeconds)
    }

    /// Copies a file on this machine.
    public func upload(localPath: String, remotePath: String, mode: UInt32) async throws(RemoteError) {
        try copy(from: localPath, to: remotePath, mode: mode)
    }

    /// Copies a file on this machine.
    public func download(remotePath: String, localPath: String) async throws(RemoteError) {
        try copy(from: remotePath, to: localPath, mode: nil)
    }

    /// Nothing to close.
    public func close() async {}

    private func copy(from source: String, to destination: String, mode: UInt32?) throws(RemoteError) {
        guard FileManager.default.isReadableFile(atPath: source) else {
            throw RemoteError(.localFileMissing, node: node, message: "cannot read '\(source)'")
        }
        do {
            if FileManager.default.fileExists(atPath: destination) {
                try FileManager.default.removeItem(atPath: destination)
            }
            try FileManager.default.copyItem(atPath: source, toPath: destination)
            if let mode { chmod(destination, mode_t(mode)) }
        } catch {
            throw RemoteError(
                .localFileUnwritable, node: node, message: "cannot copy '\(source)' to '\(destination)': \(error)")
        }
    }
}
