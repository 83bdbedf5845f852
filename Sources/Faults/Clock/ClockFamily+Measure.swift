import Basics
import Control
import Foundation

/// Measuring clocks, and deciding whether a clock fault may run and whether it reaches the server.
extension ClockFamily {
    /// Measures every node's clock offset: `{"n1":{"offset_ms":..,"uncertainty_ms":..},...}`.
    public func measureAll(in context: FaultContext) async -> JSONValue {
        let result = await context.eachNode(context.nodeNames) { config, remote throws(NemesisError) -> ClockOffset in
            try await measureOffset(config, remote, in: context)
        }
        var object = result.values.mapValues(\.json)
        for failure in result.errors { object[failure.node] = .object(["error": .string(failure.message)]) }
        return .object(object)
    }

    /// Jepsen's check-offsets for one node: `date +%s.%N` (under libfaketime on faketime nodes)
    /// against the controller's clock at the midpoint of the round trip.
    public func measureOffset(_ config: NodeConfig, _ remote: any Remote, in context: FaultContext) async throws(NemesisError)
        -> ClockOffset
    {
        let script =
            config.clock == .faketime
            ? ClockScripts.faketimeDate(path: ClockScripts.faketimePath(config), library: libfaketimePath)
            : ClockScripts.systemDate
        let before = ClockScripts.realtimeNanoseconds()
        let out = try await context.run(remote, script, sudo: false, doing: "read the clock")
        let after = ClockScripts.realtimeNanoseconds()
        guard let nodeTime = ClockScripts.parseEpoch(out) else {
            throw NemesisError(.commandFailed, node: config.name, command: "date +%s.%N", message: "unexpected output '\(out.prefix(80))'")
        }
        let midpoint = before + (after - before) / 2
        return ClockOffset(
            node: config.name, offsetMilliseconds: Double(nodeTime - midpoint) / 1e6,
            uncertaintyMilliseconds: Double(after - before) / 2e6)
    }

    /// Says plainly whether the fault reaches the system's server on faketime nodes.
    func applicabilityNote(_ targets: [NodeConfig], in context: FaultContext, into started: inout ClockStarted) {
        guard targets.contains(where: { $0.clock == .faketime }) else {
            started.applicable = true
            return
        }
        let name = context.system?.name ?? "the database"
        switch context.system?.readsTimeThroughLibc {
        case true?:
            started.applicable = true
        case false?:
            started.applicable = false
            started.note =
                "not applicable to \(name) on faketime nodes: libfaketime does not reach \(name) (it reads time without "
                + "libc, as Go programs do through the vDSO, or cannot run under libfaketime); the offsets are what libc programs there see"
        case nil:
            started.note = "unknown whether \(name) reads time through libc; libfaketime reaches only programs that do"
        }
    }

    /// Refuses real-clock faults on loopback, local-cluster, shared or same-kernel hosts.
    func checkClockSafety(_ systemNodes: [NodeConfig], in context: FaultContext) async throws(NemesisError) {
        guard !systemNodes.isEmpty else { return }
        let nodes = context.cluster.nodes
        for config in systemNodes {
            if let why = ClockSafety.staticRefusal(config, among: nodes) {
                throw NemesisError(.refused, node: config.name, message: why)
            }
        }
        let allSystem = nodes.filter { $0.clock == .system }.map(\.name)
        let ids = await context.eachNode(allSystem) { _, remote throws(NemesisError) -> String in
            try await context.run(remote, ClockSafety.bootIDScript, sudo: false, doing: "read the boot id")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let failure = ids.errors.first {
            throw NemesisError(.refused, node: failure.node, message: "cannot tell whether the node has its own kernel: \(failure.message)")
        }
        if let why = ClockSafety.bootIDRefusal(ids.values, local: ClockSafety.localBootID()) {
            throw NemesisError(.refused, message: why)
        }
    }
}
