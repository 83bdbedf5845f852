// ControlBench: times the control layer against a throwaway local cluster.
//
//   swift run -c release --scratch-path .build-control ControlBench [--nodes 5] [--iterations 300]
//
// Needs root. Creates cluster `bench` (10.77.198.0/24) and always removes it.
import Cluster
import Control
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

func argument(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) { return n }
    return value
}

func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .nan }
    let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
    return sorted[max(0, index)]
}

func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }

let nodeCount = argument("--nodes", default: 5)
let iterations = argument("--iterations", default: 300)
guard geteuid() == 0 else {
    FileHandle.standardError.write(Data("ControlBench needs root (it creates a local cluster)\n".utf8))
    exit(77)
}
let cluster = LocalCluster(spec: ClusterSpec(name: "bench", netIndex: 198, nodeCount: nodeCount))
var failed = false
do {
    _ = try? await cluster.down()
    var start = Date()
    let nodes = try await cluster.up()
    print("cluster up (\(nodeCount) nodes, cold: new keys):  \(String(format: "%.2f s", Date().timeIntervalSince(start)))")
    start = Date()
    try await cluster.up()
    print("cluster up again (healthy, no-op):     \(String(format: "%.2f s", Date().timeIntervalSince(start)))")

    let remotes = RemoteSet(nodesFile: nodes)
    start = Date()
    let errors = await remotes.connectAll()
    guard errors.isEmpty else { throw errors[0] }
    print("connect \(nodeCount) nodes in parallel:           \(ms(Date().timeIntervalSince(start)))")

    guard let first = remotes.remotes.first else { throw ClusterError(.badRequest, "no nodes") }
    var samples: [Double] = []
    for _ in 0..<iterations {
        let t = Date()
        try await first.exec(RemoteCommand(argv: ["true"])).checked()
        samples.append(Date().timeIntervalSince(t))
    }
    print("round trip `true`, reused session (\(iterations)x): median \(ms(percentile(samples, 50))), p99 \(ms(percentile(samples, 99)))")

    var concurrent: [Double] = []
    for _ in 0..<20 {
        let t = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await first.exec(RemoteCommand(argv: ["true"])).checked() } }
            try await group.waitForAll()
        }
        concurrent.append(Date().timeIntervalSince(t))
    }
    print("8 concurrent `true` on one connection: median \(ms(percentile(concurrent, 50))) for all 8")

    var parallel: [Double] = []
    for _ in 0..<50 {
        let t = Date()
        for (_, result) in await remotes.execAll(RemoteCommand(argv: ["uname", "-n"])) { _ = try result.get().checked() }
        parallel.append(Date().timeIntervalSince(t))
    }
    print("parallel exec on \(nodeCount) nodes (50x):         median \(ms(percentile(parallel, 50))), p99 \(ms(percentile(parallel, 99)))")

    let size = 32 << 20
    let local = "/tmp/schism-bench-\(getpid()).bin"
    defer { unlink(local); unlink(local + ".back") }
    var bytes = [UInt8](repeating: 0, count: size)
    for i in stride(from: 0, to: size, by: 8) { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
    _ = FileManager.default.createFile(atPath: local, contents: Data(bytes))
    start = Date()
    try await first.upload(localPath: local, remotePath: "/tmp/bench.bin", mode: 0o644)
    let up = Date().timeIntervalSince(start)
    start = Date()
    try await first.download(remotePath: "/tmp/bench.bin", localPath: local + ".back")
    let down = Date().timeIntervalSince(start)
    print("upload 32 MiB (SFTP):                  \(String(format: "%.0f MB/s", Double(size) / up / 1e6))")
    print("download 32 MiB (SFTP):                \(String(format: "%.0f MB/s", Double(size) / down / 1e6))")

    var fresh: [Double] = []
    let spec = cluster.spec
    for _ in 0..<10 {
        let t = Date()
        _ = try await LocalProcess.run([
            "ssh", "-i", spec.clientKeyPath, "-o", "UserKnownHostsFile=\(spec.knownHostsPath)", "-o", "BatchMode=yes",
            "-F", "/dev/null", "root@\(spec.address(1))", "true",
        ])
        fresh.append(Date().timeIntervalSince(t))
    }
    print("for comparison, a fresh `ssh` process: median \(ms(percentile(fresh, 50)))")
    await remotes.closeAll()
} catch {
    FileHandle.standardError.write(Data("ControlBench failed: \(error)\n".utf8))
    failed = true
}
let downStart = Date()
do {
    try await cluster.down()
    print("cluster down (\(nodeCount) nodes):                 \(String(format: "%.2f s", Date().timeIntervalSince(downStart)))")
} catch {
    FileHandle.standardError.write(Data("cluster down failed: \(error)\n".utf8))
    failed = true
}
exit(failed ? 1 : 0)
