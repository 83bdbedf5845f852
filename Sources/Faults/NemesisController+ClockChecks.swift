import Basics
import Control
import Foundation
import Histories

/// Measuring clocks, and deciding whether a clock fault may run and whether it reaches the server.
extension NemesisController {
    /// Measures every node's clock offset: `{"n1":{"offset_ms":..,"uncertainty_ms":..},...}`.
    public func measureAll() async -> JSONValue {
        let result = await eachNode(nodeNames) { config, remote throws(NemesisError) -> ClockOffset in
            try await self.measureOffset(config, remote)
        }
        var object = result.values.mapValues(\.json)
        for failure in result.errors { object[failure.node] = .object(["error": .string(failure.message)]) }
        return .object(object)
    }

    /// Jepsen's check-offsets for one node: `date +%s.%N` (under libfaketime on faketime nodes)
    /// against the controller's clock at the midpoint of the round trip.
    public func measureOffset(_ config: NodeConfig, _ remote: any Remote) async throws(NemesisError) -> ClockOffset {
        let script =
            config.clock == .faketime
            ? ClockScripts.faketimeDate(path: ClockScripts.faketimePath(config), library: options.libfaketimePath)
            : ClockScripts.systemDate
        let before = ClockScripts.realtimeNanoseconds()
        let out = try await run(remote, script, sudo: false, doing: "read the clock")
        let after = ClockScripts.realtimeNanoseconds()
        guard let nodeTime = ClockScripts.parseEpoch(out) else {
            throw NemesisError(.commandFailed, node: config.name, command: "date +%s.%N", message: "unexpected output '\(out.prefix(80))'")
        }
        let midpoint = before + (after - before) / 2
        return ClockOffset(
            node: config.name, offsetMilliseconds: Double(nodeTime - midpoint) / 1e6,
            uncertaintyMilliseconds: Double(after - before) / 2e6)
    }

    /// Says plainly whether the fault reaches the database's server on faketime nodes.
    func applicabilityNote(_ targets: [NodeConfig], into details: inout [String: JSONValue]) {
        guard targets.contains(where: { $0.clock == .faketime }) else {
            details["applicable"] = .bool(true)
            return
        }
        let name = database?.name ?? "the database"
        switch options.readsLibcTime(database: database?.name) {
        case true?:
            details["applicable"] = .bool(true)
        case false?:
            details["applicable"] = .bool(false)
            details["note"] = .string(
                "not applicable to \(name) on faketime nodes: \(name) does not read time through libc "
                    + "(Go reads it through the vDSO), so libfaketime does not reach it; the offsets are what libc programs there see")
        case nil:
            details["note"] = .string(
                "unknown whether \(name) reads time through libc; libfaketime reaches only programs that do")
        }
    }

    /// Refuses real-clock faults on loopback, local-cluster, shared or same-kernel hosts.
    func checkClockSafety(_ systemNodes: [NodeConfig]) async throws(NemesisError) {
        guard !systemNodes.isEmpty else { return }
        for config in systemNodes {
            if let why = ClockSafety.staticRefusal(config, among: cluster.nodes) {
                throw NemesisError(.refused, node: config.name, message: why)
            }
        }
        let allSystem = cluster.nodes.filter { $0.clock == .system }.map(\.name)
        let ids = await eachNode(allSystem) { _, remote throws(NemesisError) -> String in
            try await self.run(remote, ClockSafety.bootIDScript, sudo: false, doing: "read the boot id")
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
