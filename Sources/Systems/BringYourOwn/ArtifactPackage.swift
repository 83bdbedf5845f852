import Control
import Foundation

/// The upload of an artifact, as it leaves the controller: the file to send and its SHA-256.
///
/// A file or a tarball is sent as it is; a folder is packed into a temporary tarball first
/// (`tar -cf`), removed again by ``removeTemporary()``.
struct ArtifactPackage: Sendable {
    /// What the workload file named.
    let artifact: BinaryConfig.Artifact
    /// The file uploaded.
    let uploadPath: String
    /// Its SHA-256, in hex: the name of its folder in the node's cache.
    let sha256: String
    /// Whether `uploadPath` is a temporary tarball of ours.
    let temporary: Bool

    /// Checksums (and for a folder, packs) `artifact`.
    static func prepare(_ artifact: BinaryConfig.Artifact) async throws(LocalProcessError) -> ArtifactPackage {
        var path = artifact.path
        var temporary = false
        if artifact.kind == .folder {
            path = NSTemporaryDirectory() + "schism-upload-\(UUID().uuidString).tar"
            try await LocalProcess.check(["tar", "-cf", path, "-C", artifact.path, "."], timeoutSeconds: 120)
            temporary = true
        }
        let out = try await LocalProcess.check(["sha256sum", path], timeoutSeconds: 120)
        guard let sha = out.split(separator: " ").first, sha.count == 64 else {
            throw LocalProcessError(argv: ["sha256sum", path], message: "unexpected output: \(out.prefix(200))")
        }
        return ArtifactPackage(artifact: artifact, uploadPath: path, sha256: String(sha), temporary: temporary)
    }

    /// Removes the temporary tarball of a folder.
    func removeTemporary() {
        if temporary { try? FileManager.default.removeItem(atPath: uploadPath) }
    }
}
