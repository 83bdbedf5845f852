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
        .library(name: "Histories", targets: ["Histories"]),
        .library(name: "Checkers", targets: ["Checkers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Shared basics every target may import: the JSON value, durations, the seeded random
        // generator, verdicts, exit statuses and the injectable run clock.
        .target(name: "Basics"),
        // Pure core: operations, histories, codecs and importers.
        .target(name: "Histories", dependencies: ["Basics"], linkerSettings: [.linkedLibrary("m")]),
        // Checkers of histories. Pure: no I/O beyond the history.
        .target(name: "Checkers", dependencies: ["Basics", "Histories"]),
        // Reproducible synthetic histories from a seed (valid, or with an injected violation).
        .target(name: "SyntheticHistories", dependencies: ["Basics", "Histories"]),
        // Text, JSON and HTML reports of checker results.
        .target(name: "Report", dependencies: ["Histories", "Checkers"]),
        // The run folder: its layout, reading a stored run back, and the one analysis of a run
        // (checkers from test.json, results.json, the reports).
        .target(name: "Results", dependencies: ["Basics", "Histories", "Checkers", "Report"]),
        // libssh, as Debian's libssh-dev installs it.
        .systemLibrary(
            name: "CLibSSH", pkgConfig: "libssh",
            providers: [.apt(["libssh-dev"])]),
        // Workload files: YAML sections with line numbers and typed field readers, for plug-ins.
        .target(name: "Config", dependencies: ["Basics", "Yams"]),
        // Running commands on nodes: the Remote protocol, libssh and local backends, quoting.
        .target(name: "Control", dependencies: ["Basics", "CLibSSH", "Yams"]),
        // The local cluster of network-namespace hosts.
        .target(name: "Cluster", dependencies: ["Control"]),
        // A fake Remote and helpers for tests of code that runs commands on nodes.
        .target(name: "ControlTestKit", dependencies: ["Control"]),
        // Benchmarks of the control layer against a local cluster (needs root).
        .executableTarget(name: "ControlBench", dependencies: ["Control", "Cluster"]),
        // Systems under test: the lifecycle protocol and its capabilities, clients, plug-ins, and
        // helpers shared by daemons (running scripts on every node, recognising Go binaries).
        .target(name: "Systems", dependencies: ["Basics", "Config", "Control", "Histories"], path: "Sources/Systems/Core"),
        // etcd: its lifecycle, its register client over the v3 JSON gateway, and its plug-in.
        .target(
            name: "Etcd",
            dependencies: [
                "Basics", "Config", "Control", "Histories", "Systems",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/Systems/Etcd"),
        // Redis with replicas and Sentinel: its lifecycle, a RESP2 client on SwiftNIO, its plug-in.
        .target(
            name: "Redis",
            dependencies: [
                "Basics", "Config", "Control", "Histories", "Systems",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/Systems/Redis"),
        // PostgreSQL: a primary on the first node (Debian's postgresql, run as the postgres user),
        // its transactional clients (list-append, rw-register) over postgres-nio, and its plug-in.
        .target(
            name: "Postgres",
            dependencies: [
                "Basics", "Config", "Control", "Histories", "Systems",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/Systems/Postgres"),
        // Bring your own system (`db.system: binary`): any server program, its lifecycle by PID, and the
        // stdio and http-kv client adapters (docs/databases.md, docs/client-protocol.md).
        .target(
            name: "BringYourOwn",
            dependencies: [
                "Basics", "Config", "Control", "Histories", "Systems", "Etcd",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/Systems/BringYourOwn"),
        // Faults and their undo: partitions, kills, pauses, clock skew, packet loss; the fault journal.
        .target(name: "Faults", dependencies: ["Basics", "Control", "Systems", "Histories"]),
        // Workload kinds (one folder each: register, ...): YAML section, seeded generators, checkers.
        .target(name: "Workloads", dependencies: ["Basics", "Checkers", "Config", "Systems"]),
        // The built-in plug-ins: the one list of systems, workload kinds, checkers and fault families.
        .target(name: "Plugins", dependencies: ["BringYourOwn", "Checkers", "Etcd", "Redis", "Postgres", "Faults", "Runner", "Systems", "Workloads"]),
        // The test runner: test plans, workers, the recorder, the fault loop, the phases of a run.
        .target(name: "Runner", dependencies: ["Basics", "Config", "Workloads", "Histories", "Checkers", "SyntheticHistories", "Report", "Results", "Control", "Cluster", "Systems", "Faults", "Yams"]),
        // `schism serve`: the results folder over HTTP (Hummingbird), read-only: the index of runs,
        // each run's report and files, a streamed zip of a run.
        .target(
            name: "Serve",
            dependencies: [
                "Basics", "Report", "Results",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // The command-line interface: the only target that parses arguments.
        .executableTarget(
            name: "schism",
            dependencies: [
                "Basics", "Config", "Histories", "Checkers", "SyntheticHistories", "Report", "Results", "Control", "Cluster",
                "Systems", "Faults", "Runner", "Plugins", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticSwiftInRelease),
        // Benchmarks that print numbers (run with -c release).
        .executableTarget(
            name: "SchismBench",
            dependencies: [
                "Basics", "BringYourOwn", "Control", "Systems", "Histories", "Checkers", "SyntheticHistories", "Report", "Results",
                "Runner", "Serve", "Workloads", .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            linkerSettings: staticSwiftInRelease),
        // Fuzz targets for the readers and the checker: replays files when built normally; a libFuzzer
        // fuzzer when scripts/fuzz.sh builds it with -sanitize=fuzzer (docs/fuzzing.md).
        .executableTarget(name: "SchismFuzz", dependencies: ["Basics", "Histories", "Checkers", "CLibFuzzer"]),
        // The declaration of libFuzzer's driver, for the fuzzer build of SchismFuzz.
        .target(name: "CLibFuzzer"),
        // Helpers shared by the tests: locating ../shared/histories, history builders.
        .target(name: "SchismTestKit", dependencies: ["Basics", "Histories"]),
        .testTarget(name: "HistoriesTests", dependencies: ["Histories", "SchismTestKit"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "ControlTestKit"]),
        .testTarget(name: "ClusterTests", dependencies: ["Control", "Cluster", "ControlTestKit", "ClusterTestKit"]),
        .testTarget(name: "CheckersTests", dependencies: ["Histories", "Checkers", "SyntheticHistories", "SchismTestKit"]),
        // One local cluster per test suite, created and removed by a suite trait.
        .target(name: "ClusterTestKit", dependencies: ["Cluster", "Control"]),
        .testTarget(
            name: "RunnerTests",
            dependencies: ["Basics", "Runner", "Results", "Systems", "Etcd", "Faults", "Plugins", "Workloads", "Config", "Histories", "Checkers", "Control", "Cluster", "ClusterTestKit", "SchismTestKit"]),
        // The fuzz regressions and seed corpus replayed through the SchismFuzz executable.
        .testTarget(name: "FuzzTests", dependencies: ["Basics", "SchismFuzz", "SchismTestKit"]),
        .testTarget(name: "ReportTests", dependencies: ["Histories", "Checkers", "Report", "SchismTestKit"]),
        .testTarget(name: "ResultsTests", dependencies: ["Basics", "Histories", "Checkers", "Report", "Results", "SchismTestKit"]),
        // schism serve with real HTTP on loopback, JUnit files, test-all and the CLI's messages (the real executable).
        .testTarget(
            name: "ServeTests",
            dependencies: ["Basics", "Histories", "Checkers", "Results", "Serve", "SchismTestKit", "ClusterTestKit", "Cluster", "Control"]),
        .testTarget(name: "FaultsTests", dependencies: ["Basics", "Faults", "Plugins", "Control", "Cluster", "Systems", "SyntheticHistories", "Histories", "Report", "ControlTestKit", "ClusterTestKit"]),
        .testTarget(name: "SystemsTests", dependencies: ["Systems", "Control"]),
        .testTarget(
            name: "RedisTests",
            dependencies: [
                "Basics", "Config", "Systems", "Redis", "Control", "Cluster", "Histories", "ClusterTestKit", "Runner", "Plugins",
                "Faults",
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "TransactionTests",
            dependencies: ["Basics", "Config", "Systems", "Postgres", "Etcd", "Control", "Cluster", "Histories", "ClusterTestKit", "Plugins", "Runner", "Results", "Workloads", "Checkers"]),
        .testTarget(
            name: "BringYourOwnTests",
            dependencies: ["Basics", "BringYourOwn", "Cluster", "Config", "Control", "Histories", "Plugins", "Results", "Runner", "Systems", "ClusterTestKit"]),
        .testTarget(
            name: "EtcdTests", dependencies: ["Basics", "Config", "Systems", "Etcd", "Control", "Cluster", "Histories", "ClusterTestKit"]),
    ],
    swiftLanguageModes: [.v6]
)

/// Release binaries link the Swift runtime and Foundation statically: `schism check` then starts
/// in about 10 ms instead of 30 (the dynamic loader relocating libFoundation and the rest), which
/// is most of the time of a small check, and the binary runs on a host without the toolchain.
var staticSwiftInRelease: [LinkerSetting] { [.unsafeFlags(["-static-stdlib", "-Xlinker", "--start-group", "-Xlinker", "-lFoundation", "-Xlinker", "-lCoreFoundation", "-Xlinker", "-l_FoundationICU", "-Xlinker", "-lFoundationEssentials", "-Xlinker", "-lFoundationInternationalization", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "--end-group"], .when(configuration: .release))] }
