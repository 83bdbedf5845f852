// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: from the pure analysis (History, Checker, Report)
// out to effects (Control, Cluster) and the CLI. History and Checker never
// import SSH or process code.
let package = Package(
    name: "Schism",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "schism", targets: ["schism"]),
        .executable(name: "schism-bench", targets: ["SchismBench"]),
        .library(name: "History", targets: ["History"]),
        .library(name: "Checker", targets: ["Checker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Pure core: operations, histories, codecs and importers.
        .target(name: "History", linkerSettings: [.linkedLibrary("m")]),
        // Models and the linearizability search. Pure: no I/O beyond the history.
        .target(name: "Checker", dependencies: ["History"]),
        // Reproducible synthetic histories from a seed (valid, or with an injected violation).
        .target(name: "Generator", dependencies: ["History"]),
        // Text, JSON and HTML reports of checker results.
        .target(name: "Report", dependencies: ["History", "Checker"]),
        // libssh, as Debian's libssh-dev installs it.
        .systemLibrary(
            name: "CLibSSH", pkgConfig: "libssh",
            providers: [.apt(["libssh-dev"])]),
        // Running commands on nodes: the Remote protocol, libssh and local backends, quoting.
        .target(name: "Control", dependencies: ["CLibSSH", "Yams"]),
        // The local cluster of network-namespace hosts.
        .target(name: "Cluster", dependencies: ["Control"]),
        // A fake Remote and helpers for tests of code that runs commands on nodes.
        .target(name: "ControlTestKit", dependencies: ["Control"]),
        // Benchmarks of the control layer against a local cluster (needs root).
        .executableTarget(name: "ControlBench", dependencies: ["Control", "Cluster"]),
        // Systems under test (the lifecycle protocol, etcd) and their clients.
        .target(
            name: "DB",
            dependencies: [
                "Control", "History", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        // Faults and their undo: partitions, kills, pauses, clock skew, packet loss; the fault journal.
        .target(name: "Nemesis", dependencies: ["Control", "DB", "Generator", "History"]),
        // The test runner: workload files, generators, workers, the recorder, the results store.
        .target(name: "Runner", dependencies: ["History", "Checker", "Generator", "Report", "Control", "Cluster", "DB", "Nemesis", "Yams"]),
        // The command-line interface: the only target that parses arguments.
        .executableTarget(
            name: "schism",
            dependencies: [
                "History", "Checker", "Generator", "Report", "Control", "Cluster", "DB", "Nemesis", "Runner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmarks that print numbers (run with -c release).
        .executableTarget(name: "SchismBench", dependencies: ["History", "Checker", "Generator", "Report", "Runner"]),
        // Helpers shared by the tests: locating ../shared/histories, history builders.
        .target(name: "SchismTestKit", dependencies: ["History"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "SchismTestKit"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "ControlTestKit"]),
        .testTarget(name: "ClusterTests", dependencies: ["Control", "Cluster", "ControlTestKit", "ClusterTestKit"]),
        .testTarget(name: "CheckerTests", dependencies: ["History", "Checker", "Generator", "SchismTestKit"]),
        // One local cluster per test suite, created and removed by a suite trait.
        .target(name: "ClusterTestKit", dependencies: ["Cluster", "Control"]),
        .testTarget(
            name: "RunnerTests",
            dependencies: ["Runner", "DB", "Nemesis", "History", "Checker", "Control", "Cluster", "ClusterTestKit", "SchismTestKit"]),
        .testTarget(name: "ReportTests", dependencies: ["History", "Checker", "Report", "SchismTestKit"]),
        .testTarget(name: "NemesisTests", dependencies: ["Nemesis", "Control", "Cluster", "DB", "Generator", "History", "ControlTestKit", "ClusterTestKit"]),
        .testTarget(name: "DBTests", dependencies: ["DB", "Control", "Cluster", "History", "ClusterTestKit"]),
    ],
    swiftLanguageModes: [.v6]
)
