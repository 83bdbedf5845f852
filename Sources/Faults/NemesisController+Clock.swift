import Basics
import Control
import Foundation
import Histories

extension NemesisController {
    /// Bumps or strobes the clocks of the plan's nodes, then measures every node's offset.
    func applyClock(_ plan: FaultPlan) async throws(NemesisError) -> Outcome {
        let targets = plan.nodes.compactMap { node($0) }
        try await checkClockSafety(targets.filter { $0.clock == .system })
        let delta = plan.clockDeltaMilliseconds ?? 0
        var outcome = Outcome()
        outcome.details["delta_ms"] = .int(Int64(delta))
        applicabilityNote(targets, into: &outcome.details)

        // NTP must not undo a fault on a real clock: stop it first, and journal what was stopped.
        let systemNodes = targets.filter { $0.clock == .system }.map(\.name)
        if !systemNodes.isEmpty {
            let stopped = await eachNode(systemNodes) { _, remote throws(NemesisError) -> [String] in
                let out = try await self.run(remote, ClockScripts.stopNTP, sudo: true, doing: "stop NTP")
                return out.split(separator: "\n").map(String.init)
            }
            outcome.errors += stopped.errors
            state.withLock { s in
                for (name, services) in stopped.values { s.ntpStopped[name, default: []] += services }
            }
            outcome.details["ntp_stopped"] = .object(stopped.values.mapValues { .array($0.map { .string($0) }) })
            outcome.details["system_clock"] = .array(systemNodes.map { .string($0) })
        }

        if plan.kind == .clockStrobe {
            let period = max(1, plan.strobePeriodMilliseconds ?? options.clockStrobePeriodMilliseconds)
            let duration = max(0, plan.strobeDurationMilliseconds ?? options.clockStrobeDurationMilliseconds)
            outcome.details["period_ms"] = .int(Int64(period))
            outcome.details["duration_ms"] = .int(Int64(duration))
            let flips = min(1_000, max(2, duration / period))
            var flipErrors: [NodeFailure] = []
            var during: JSONValue = .null
            for flip in 0..<flips where !Task.isCancelled {
                let began = ContinuousClock.now
                let high = flip % 2 == 0
                // Each flip moves the clock by ±delta; an even count ends where it began.
                let errors = await shift(targets, by: high ? delta : -delta)
                if flipErrors.isEmpty { flipErrors = errors }
                if flip == 0 { during = await measureAll() }
                let remaining = Duration.milliseconds(period) - (ContinuousClock.now - began)
                if remaining > .zero { try? await Task.sleep(for: remaining) }
            }
            if flips % 2 == 1 || Task.isCancelled { _ = await shift(targets, by: -delta) }
            outcome.details["flips"] = .int(Int64(flips))
            outcome.details["offsets_during"] = during
            outcome.errors += flipErrors
        } else {
            outcome.errors += await shift(targets, by: delta)
        }
        outcome.details["offsets"] = await measureAll()
        outcome.applied = targets.map(\.name)
        return outcome
    }

    /// Resets the fault's clocks: faketime offsets to +0, real clocks to the controller's, NTP restarted.
    func undoClock(_ fault: FaultRecord) async -> Outcome {
        var outcome = Outcome()
        let targets = fault.nodes.compactMap { node($0) }
        let reset = await eachNode(targets.map(\.name)) { config, remote throws(NemesisError) -> Bool in
            try await self.resetClock(config, remote)
            return true
        }
        outcome.errors = reset.errors
        outcome.details["offsets"] = await measureAll()
        return outcome
    }

    /// Sets one node's clock back: faketime file to +0, or a real clock to the controller's time plus NTP.
    func resetClock(_ config: NodeConfig, _ remote: any Remote) async throws(NemesisError) {
        switch config.clock {
        case .faketime:
            _ = try await run(
                remote, ClockScripts.writeFaketime(path: ClockScripts.faketimePath(config), milliseconds: 0), sudo: true,
                doing: "reset the faketime file")
            state.withLock { $0.faketimeOffsets[config.name] = 0 }
        case .system:
            let shifted = state.withLock { $0.systemClockShifted.contains(config.name) }
            if shifted {
                _ = try await run(
                    remote, ClockScripts.setSystemClock(epochNanoseconds: ClockScripts.realtimeNanoseconds()),
                    sudo: true, doing: "set the clock to the controller's")
                state.withLock { _ = $0.systemClockShifted.remove(config.name) }
            }
            let services = state.withLock { $0.ntpStopped[config.name] ?? [] }
            if !services.isEmpty {
                _ = try await run(remote, ClockScripts.startNTP(services), sudo: true, doing: "restart NTP")
                state.withLock { $0.ntpStopped[config.name] = nil }
            }
        }
    }

    /// Moves each target's clock by `delta` ms from where it is now; returns the failures.
    private func shift(_ targets: [NodeConfig], by delta: Int) async -> [NodeFailure] {
        let result = await eachNode(targets.map(\.name)) { config, remote throws(NemesisError) -> Bool in
            switch config.clock {
            case .faketime:
                let offset = self.state.withLock { s -> Int in
                    let next = s.faketimeOffsets[config.name, default: 0] + delta
                    s.faketimeOffsets[config.name] = next
                    return next
                }
                let script = ClockScripts.writeFaketime(path: ClockScripts.faketimePath(config), milliseconds: offset)
                _ = try await self.run(remote, script, sudo: true, doing: "write the faketime file")
            case .system:
                self.state.withLock { _ = $0.systemClockShifted.insert(config.name) }
                _ = try await self.run(remote, ClockScripts.shiftSystemClock(milliseconds: delta), sudo: true, doing: "date -s")
            }
            return true
        }
        return result.errors
    }
}
