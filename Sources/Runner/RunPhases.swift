import Basics
import Checkers
import Control
import Faults
import Foundation
import Histories
import Results
import Systems
import Workloads

/// The phases of one run, in order: record the test, connect, set up, drive, heal, collect, tear down, analyse.
struct RunPhases: Sendable {
    let run: TestRun
    let folder: RunFolder
    let log: RunLog
    let stop: StopSignal
    let clock: any RunClock

    private var plan: TestPlan { run.plan }
    private var cluster: TestCluster { run.cluster }
    private var system: any SystemUnderTest { run.plan.system.system }

    func execute() async -> TestRun.Outcome {
        let version = (try? await system.version()) ?? "unknown"
        writeTestJSON(version: version)
        let unreachable = await cluster.remotes.connectAll()
        if !unreachable.isEmpty {
            for e in unreachable { log.info("cannot reach \(e.node): \(e)") }
            return failed(ExitStatus.unavailable, "\(unreachable.count) node(s) unreachable; see \(folder.log)")
        }
        let leftovers = await undoLeftovers()
        log.info("setting up \(system.name) \(version) on \(cluster.nodes.count) nodes")
        do {
            try await system.setup(cluster)
        } catch {
            log.info("setup failed: \(error)")
            await collectAndTearDown()
            return failed(ExitStatus.unavailable, "\(system.name) did not start: \(error.message); see \(folder.log) and \(folder.path)/nodes/")
        }
        let recorder: Recorder
        let journal: FaultJournal
        do {
            recorder = try Recorder(path: folder.history, clock: clock)
            journal = try FaultJournal(path: folder.faults)
        } catch {
            await collectAndTearDown()
            return failed(ExitStatus.cannotCreate, "cannot write the history or fault journal in \(folder.path): \(error)")
        }
        let nemesis = NemesisController(
            cluster: cluster, system: system, registry: run.registry.faults, journal: journal,
            elapsedNanoseconds: { recorder.elapsedNanoseconds() })
        var notes = RunNotes.before(plan: plan, nodes: cluster.nodes, nemesis: nemesis)
        if !leftovers.isEmpty {
            notes.append("Faults an earlier run left on the nodes (a killed controller?) were undone before this run, as `schism heal` does: \(leftovers.map(\.description).joined(separator: "; ")).")
        }
        for n in notes { log.info("note: \(n)") }

        let factory = plan.system.makeClients()
        let refusals = Refusals()
        let interrupted = await drive(recorder: recorder, nemesis: nemesis, factory: factory, refusals: refusals)
        notes += refusals.all
        if interrupted {
            notes.append("The run was stopped by signal \(stop.signal) after \(String(format: "%.1f", clock.elapsedSeconds)) s, before its time limit: the history is shorter than planned.")
        }
        do { try recorder.finish() } catch { log.info("the history could not be written completely: \(error)") }
        await factory.shutdown()
        await collectAndTearDown()
        await cluster.remotes.closeAll()
        let verdict = Analysis(
            folder: folder, log: log, notes: notes, checkers: run.registry.checkers, faultColours: run.registry.faults.colours
        ).run()
        try? folder.linkLatest()
        var code = verdict?.exitCode ?? ExitStatus.internalError
        if interrupted { code = ExitStatus.interrupted(stop.signal) }
        return TestRun.Outcome(verdict: verdict, folder: folder, exitCode: code,
                               failure: interrupted ? "interrupted by signal \(stop.signal); faults healed, results written" : nil)
    }

    /// Undoes what faults of an earlier run may have left on the nodes (a SCHISM chain, stopped
    /// processes, a faketime offset), as `schism heal` without a journal does, so that a killed
    /// controller's partition never passes for this run's system refusing to start. Returns what
    /// was undone; what could not be is logged (setup then says what is wrong).
    private func undoLeftovers() async -> [HealReport.Action] {
        let report = await Healer(registry: run.registry.faults, nodes: cluster.nodes, remotes: cluster.remotes).heal()
        for action in report.actions { log.info("undid a fault left by an earlier run: \(action)") }
        for failure in report.failures { log.info("could not undo what an earlier run may have left: \(failure); run `schism heal`") }
        return report.actions
    }

    /// The key prefix of this run: every key the clients send is namespaced by the run's folder,
    /// so that runs against a shared, long-lived system never read each other's data.
    private var keyPrefix: String { "schism/\((folder.path as NSString).lastPathComponent)/" }

    /// Clients and faults until the time limit or a signal, then heal, recover and read the final state.
    /// Returns whether a signal cut the run short.
    private func drive(recorder: Recorder, nemesis: NemesisController, factory: any ClientFactory, refusals: Refusals) async -> Bool {
        let keys = KeyAllocator(opsPerKey: plan.workload.opsPerKey, clientsPerKey: plan.workload.clientsPerKey)
        let workers = Workers(seed: run.seed, workload: plan.workload, rate: plan.rate, clock: clock)
        var clients: [any Client] = []
        var nodeNames: [String] = []
        let options = ClientOptions(timeoutSeconds: plan.requestTimeoutSeconds, keyPrefix: keyPrefix, workloadKind: plan.workload.kind, nodes: cluster.nodes)
        for w in 0..<plan.concurrency {
            let node = cluster.nodes[w % cluster.nodes.count]
            do {
                clients.append(try factory.makeClient(node: node, options: options))
                nodeNames.append(node.name)
            } catch {
                log.info("cannot make a client for \(node.name): \(error)")
            }
        }
        let start = clock.elapsedNanoseconds()
        let deadline = start + Duration.seconds(fractional: plan.timeLimitSeconds).nanoseconds
        let schedule = NemesisSchedule(
            seed: run.seed, kinds: plan.faultKinds, intervalSeconds: plan.nemesisIntervalSeconds,
            durationSeconds: plan.timeLimitSeconds)
        if schedule.actions.isEmpty, !plan.faultKinds.isEmpty {
            log.info("note: no fault fits in \(plan.timeLimitSeconds) s with a nemesis interval of \(plan.nemesisIntervalSeconds) s (a fault and its heal take two intervals); lower --nemesis-interval or raise --time-limit")
        }
        log.info("running \(clients.count) clients for \(plan.timeLimitSeconds) s at \(plan.rate > 0 ? "\(Int(plan.rate)) ops/s" : "full speed"); faults: \(plan.faultKinds.isEmpty ? "none" : plan.faultKinds.joined(separator: ", "))")
        let (workerClients, workerNodes, clock) = (clients, nodeNames, self.clock)
        let main = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await workers.run(clients: workerClients, nodes: workerNodes, recorder: recorder, keys: keys, untilNanoseconds: deadline) }
                group.addTask { await FaultLoop(nemesis: nemesis, recorder: recorder, log: log, refusals: refusals).run(schedule, clock: clock, startingAt: start) }
            }
        }
        let progress = Progress(recorder: recorder, nemesis: nemesis, log: log, clock: clock, limitSeconds: plan.timeLimitSeconds)
        // The monitor polls on real time: it flushes the history and watches for signals even
        // when a test drives the run's clock by hand.
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
        if !stop.isSet, !plan.faultKinds.isEmpty, plan.recoverySeconds > 0 {
            log.info("faults healed; waiting \(plan.recoverySeconds) s for recovery")
            try? await clock.sleep(for: .seconds(fractional: plan.recoverySeconds))
        }
        if !stop.isSet, plan.finalReads {
            let requests = plan.workload.finalRequests(keys: keys.keys)
            log.info("reading the final state: \(requests.count) requests")
            await workers.finalRequests(requests, clients: clients, nodes: nodeNames, recorder: recorder, firstProcess: 1_000_000)
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
            for path in system.logFiles(on: node) {
                do {
                    try await remote.download(remotePath: path, localPath: dir + "/" + (path as NSString).lastPathComponent)
                } catch {
                    log.debug("could not download \(path) from \(node.name): \(error)")
                }
            }
        }
        do {
            try await system.teardown(cluster)
            log.info("\(system.name) torn down")
        } catch {
            log.info("teardown failed (the analysis goes on): \(error)")
        }
    }

    private func writeTestJSON(version: String) {
        let value = plan.record(seed: run.seed, nodes: cluster.nodes, version: version).json
        do { try folder.write(value.jsonText + "\n", to: folder.testJSON) } catch {
            log.info("cannot write \(folder.testJSON): \(error)")
        }
    }

    private func failed(_ code: Int32, _ why: String) -> TestRun.Outcome {
        log.info("run failed: \(why)")
        try? folder.write("Schism test \(plan.name): RUN FAILED\n\(why)\n", to: folder.reportText)
        // What the index of runs and CI read: the run shows as failed, and why.
        if var summary = RunSummary.read(folder: folder.path) {
            summary.verdict = RunSummary.failed
            summary.exitCode = code
            try? folder.write(summary.json.jsonText + "\n", to: folder.summaryJSON)
        }
        let error = RunError(path: folder.path, message: "the run failed before it recorded a history: \(why)", exitCode: code)
        try? folder.write(JUnitReport.xml([], errors: [error]), to: folder.junitXML)
        try? folder.linkLatest()
        return TestRun.Outcome(verdict: nil, folder: folder, exitCode: code, failure: why)
    }
}
