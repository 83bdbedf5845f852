import Basics
import Checkers
import Control
import Systems
import Foundation
import Histories
import Faults

/// The phases of one run, in order: record the test, connect, set up, drive, heal, collect, tear down, analyse.
struct RunPhases: Sendable {
    let run: TestRun
    let folder: RunFolder
    let log: RunLog
    let stop: StopSignal
    let start: ContinuousClock.Instant

    private var workload: Workload { run.workload }
    private var cluster: TestCluster { run.cluster }
    private var database: any SystemUnderTest { run.database }

    func execute() async -> TestRun.Outcome {
        let version = (try? await database.version()) ?? "unknown"
        writeTestJSON(version: version)
        let unreachable = await cluster.remotes.connectAll()
        if !unreachable.isEmpty {
            for e in unreachable { log.info("cannot reach \(e.node): \(e)") }
            return failed(ExitStatus.unavailable, "\(unreachable.count) node(s) unreachable; see \(folder.log)")
        }
        log.info("setting up \(database.name) \(version) on \(cluster.nodes.count) nodes")
        do {
            try await database.setup(cluster)
        } catch {
            log.info("setup failed: \(error)")
            await collectAndTearDown()
            return failed(ExitStatus.unavailable, "\(database.name) did not start: \(error.message); see \(folder.log) and \(folder.path)/nodes/")
        }
        let recorder: Recorder
        let journal: FaultJournal
        do {
            recorder = try Recorder(path: folder.history, start: start)
            journal = try FaultJournal(path: folder.faults)
        } catch {
            await collectAndTearDown()
            return failed(ExitStatus.cannotCreate, "cannot write the history or fault journal in \(folder.path): \(error)")
        }
        let nemesis = NemesisController(
            cluster: cluster, system: database, registry: Workload.faultRegistry, journal: journal,
            elapsedNanoseconds: { recorder.elapsedNanoseconds() })
        let notes = RunNotes.before(workload: workload, nodes: cluster.nodes, database: database, nemesis: nemesis)
        for n in notes { log.info("note: \(n)") }

        let interrupted = await drive(recorder: recorder, nemesis: nemesis)
        do { try recorder.finish() } catch { log.info("the history could not be written completely: \(error)") }
        await run.clients.shutdown()
        await collectAndTearDown()
        await cluster.remotes.closeAll()
        let analysis = Analysis(workload: workload, seed: run.seed, folder: folder, log: log, cluster: cluster,
                                database: database.name, version: version, notes: notes,
                                started: Date(timeIntervalSinceNow: -(ContinuousClock.now - start).seconds))
        let verdict = analysis.run()
        try? folder.linkLatest()
        var code = verdict?.exitCode ?? ExitStatus.internalError
        if interrupted { code = ExitStatus.interrupted(stop.signal) }
        return TestRun.Outcome(verdict: verdict, folder: folder, exitCode: code,
                               failure: interrupted ? "interrupted by signal \(stop.signal); faults healed, results written" : nil)
    }

    /// Clients and faults until the time limit or a signal, then heal, recover and read every key.
    /// Returns whether a signal cut the run short.
    private func drive(recorder: Recorder, nemesis: NemesisController) async -> Bool {
        let keys = KeyAllocator(opsPerKey: workload.opsPerKey)
        let workers = Workers(seed: run.seed, mix: workload.mix, values: workload.values, rate: workload.rate)
        var clients: [any Client] = []
        var nodeNames: [String] = []
        for w in 0..<workload.concurrency {
            let node = cluster.nodes[w % cluster.nodes.count]
            do {
                clients.append(try run.clients.makeClient(node: node, options: ClientOptions(timeoutSeconds: workload.requestTimeoutSeconds)))
                nodeNames.append(node.name)
            } catch {
                log.info("cannot make a client for \(node.name): \(error)")
            }
        }
        let deadline = start + .nanoseconds(Int64(workload.timeLimitSeconds * 1e9))
        let schedule = NemesisSchedule(
            seed: run.seed, kinds: workload.faultKinds, intervalSeconds: workload.nemesisIntervalSeconds,
            durationSeconds: workload.timeLimitSeconds)
        if schedule.actions.isEmpty, !workload.faultKinds.isEmpty {
            log.info("note: no fault fits in \(workload.timeLimitSeconds) s with a nemesis interval of \(workload.nemesisIntervalSeconds) s (a fault and its heal take two intervals); lower --nemesis-interval or raise --time-limit")
        }
        log.info("running \(clients.count) clients for \(workload.timeLimitSeconds) s at \(workload.rate > 0 ? "\(Int(workload.rate)) ops/s" : "full speed"); faults: \(workload.faultKinds.isEmpty ? "none" : workload.faultKinds.joined(separator: ", "))")
        let (workerClients, workerNodes) = (clients, nodeNames)
        let main = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await workers.run(clients: workerClients, nodes: workerNodes, recorder: recorder, keys: keys, until: deadline) }
                group.addTask { await FaultLoop(nemesis: nemesis, recorder: recorder, log: log).run(schedule, start: start) }
            }
        }
        let progress = Progress(recorder: recorder, nemesis: nemesis, log: log, start: start, limitSeconds: workload.timeLimitSeconds)
        let monitor = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                recorder.flush()
                progress.tick()
                if stop.isSet {
                    log.info("stopping on signal \(stop.signal): healing faults and writing results (signal again to quit at once)")
                    main.cancel()
                    return
                }
            }
        }
        await main.value
        monitor.cancel()
        let report = await nemesis.healAll()
        for event in report.stopped { recorder.nemesis(f: event.f, value: event.historyValue) }
        for failure in report.failures { log.info("heal failed on \(failure.node): \(failure.message); run `schism heal`") }
        if !stop.isSet, !workload.faultKinds.isEmpty, workload.recoverySeconds > 0 {
            log.info("faults healed; waiting \(workload.recoverySeconds) s for recovery")
            try? await Task.sleep(for: .nanoseconds(Int64(workload.recoverySeconds * 1e9)))
        }
        if !stop.isSet, workload.finalReads {
            let all = keys.keys
            log.info("reading all \(all.count) keys")
            await workers.finalReads(clients: clients, nodes: nodeNames, recorder: recorder, keys: all, firstProcess: 1_000_000)
        }
        for c in clients { await c.close() }
        progress.tick(final: true)
        return stop.isSet
    }

    /// Downloads the nodes' logs, then tears the system down; failures are logged, never fatal.
    private func collectAndTearDown() async {
        for node in cluster.nodes {
            guard let remote = cluster.remotes[node.name] else { continue }
            let dir = folder.nodeFolder(node.name)
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for path in database.logFiles(on: node) {
                do {
                    try await remote.download(remotePath: path, localPath: dir + "/" + (path as NSString).lastPathComponent)
                } catch {
                    log.debug("could not download \(path) from \(node.name): \(error)")
                }
            }
        }
        do {
            try await database.teardown(cluster)
            log.info("\(database.name) torn down")
        } catch {
            log.info("teardown failed (the analysis goes on): \(error)")
        }
    }

    private func writeTestJSON(version: String) {
        let value = TestRecord.json(workload: workload, seed: run.seed, nodes: cluster.nodes, database: database.name, version: version)
        do { try folder.write(value.jsonText + "\n", to: folder.testJSON) } catch {
            log.info("cannot write \(folder.testJSON): \(error)")
        }
    }

    private func failed(_ code: Int32, _ why: String) -> TestRun.Outcome {
        log.info("run failed: \(why)")
        try? folder.write("Schism test \(workload.name): RUN FAILED\n\(why)\n", to: folder.reportText)
        try? folder.linkLatest()
        return TestRun.Outcome(verdict: nil, folder: folder, exitCode: code, failure: why)
    }
}
