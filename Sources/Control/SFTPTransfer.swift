import CLibSSH
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// File transfers over SFTP, with `cat` over an exec channel when the server has no SFTP.
extension SSHRemote {
    private static let chunkBytes = 32768

    func transferUpload(localPath: String, remotePath: String, mode: UInt32) async throws(ChannelFailure) {
        let fd = open(localPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .failed(
                RemoteError(.localFileMissing, node: node, message: "cannot read local file '\(localPath)'"))
        }
        defer { Glibc.close(fd) }
        guard let sftp = try openSFTP() else {
            try await catUpload(fd: fd, remotePath: remotePath, mode: mode)
            return
        }
        defer { sftp_free(sftp) }
        guard let file = sftp_open(sftp, remotePath, O_WRONLY | O_CREAT | O_TRUNC, mode_t(mode)) else {
            throw .failed(sftpError(sftp, "cannot create '\(remotePath)'"))
        }
        var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
        var failure: RemoteError?
        while failure == nil {
            let n = read(fd, &buffer, buffer.count)
            if n == 0 { break }
            if n < 0 {
                failure = RemoteError(.localFileMissing, node: node, message: "error reading '\(localPath)'")
                break
            }
            if sftp_write(file, buffer, n) != n {
                failure = sftpError(sftp, "error writing '\(remotePath)'")
            }
            await Task.yield()
        }
        if sftp_close(file) != SSH_OK && failure == nil {
            failure = sftpError(sftp, "error closing '\(remotePath)'")
        }
        if let failure { throw .failed(failure) }
        if sftp_chmod(sftp, remotePath, mode_t(mode)) != SSH_OK {
            throw .failed(sftpError(sftp, "cannot set mode \(String(mode, radix: 8)) on '\(remotePath)'"))
        }
    }

    func transferDownload(remotePath: String, localPath: String) async throws(ChannelFailure) {
        let fd = open(localPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .failed(
                RemoteError(.localFileUnwritable, node: node, message: "cannot create local file '\(localPath)'"))
        }
        defer { Glibc.close(fd) }
        guard let sftp = try openSFTP() else {
            try await catDownload(fd: fd, remotePath: remotePath)
            return
        }
        defer { sftp_free(sftp) }
        guard let file = sftp_open(sftp, remotePath, O_RDONLY, 0) else {
            throw .failed(sftpError(sftp, "cannot open '\(remotePath)'"))
        }
        defer { sftp_close(file) }
        var buffer = [UInt8](repeating: 0, count: Self.chunkBytes)
        while true {
            let n = sftp_read(file, &buffer, buffer.count)
            if n == 0 { break }
            if n < 0 { throw .failed(sftpError(sftp, "error reading '\(remotePath)'")) }
            guard write(fd, buffer, n) == n else {
                throw .failed(RemoteError(.localFileUnwritable, node: node, message: "error writing '\(localPath)'"))
            }
            await Task.yield()
        }
    }

    /// An SFTP session, or nil when the server offers no SFTP subsystem.
    private func openSFTP() throws(ChannelFailure) -> sftp_session? {
        let conn: SSHConnection
        do { conn = try liveConnection() } catch { throw .notStarted(error) }
        guard let sftp = sftp_new(conn.session) else {
            if !conn.isConnected {
                throw .notStarted(
                    RemoteError(.connectionLost, node: node, message: "connection lost: \(conn.lastError)"))
            }
            return nil
        }
        guard sftp_init(sftp) == SSH_OK else {
            sftp_free(sftp)
            return nil
        }
        return sftp
    }

    private func sftpError(_ sftp: sftp_session, _ what: String) -> RemoteError {
        let code = sftp_get_error(sftp)
        let reason: String
        switch code {
        case 2: reason = "no such file or folder"
        case 3: reason = "permission denied"
        case 4: reason = "failure (disk full, or a folder in the path is missing?)"
        default: reason = "SFTP error \(code): \(connection?.lastError ?? "")"
        }
        return RemoteError(
            .transferFailed, node: node, message: "\(what): \(reason)",
            hint: code == 3 ? "use uploadAsRoot, or a path the node's user may write" : nil)
    }

    private func catUpload(fd: Int32, remotePath: String, mode: UInt32) async throws(ChannelFailure) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        let path = ShellQuote.quote(remotePath)
        let command = RemoteCommand(
            script: "cat > \(path) && chmod \(String(mode, radix: 8)) \(path)", stdin: bytes, timeoutSeconds: 600)
        let result = try await runOnChannel(command)
        do { try result.checked() } catch { throw .failed(error) }
    }

    private func catDownload(fd: Int32, remotePath: String) async throws(ChannelFailure) {
        let command = RemoteCommand(
            script: "cat \(ShellQuote.quote(remotePath))", timeoutSeconds: 600, outputLimitBytes: 1 << 34)
        let result = try await runOnChannel(command)
        do { try result.checked() } catch { throw .failed(error) }
        guard write(fd, result.stdout, result.stdout.count) == result.stdout.count else {
            throw .failed(RemoteError(.localFileUnwritable, node: node, message: "error writing the downloaded file"))
        }
    }
}
