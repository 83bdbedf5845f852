import Basics
import Control
import Foundation

extension ClockFamily {
    /// Bumps or strobes the clocks of the plan's nodes, then measures every node's offset.
    public func apply(_ plan: Planned<ClockPlan>, in context: FaultContext) async throws(NemesisError) -> FaultStep<ClockStarted> {
        let targets = plan.nodes.compactMap { context.node($0) }
        try await checkClockSafety(targets.filter { $0.clock == .system }, in: context)
        let delta = plan.details.deltaMilliseconds
        var started = ClockStarted(plan: ClockPlan(deltaMilliseconds: delta))
        var errors: [NodeFailure] = []
        applicabilityNote(targets, in: context, into: &started)

        // NTP must not undo a fault on a real clock: stop it first, and journal what was stopped.
        let systemNodes = targets.filter { $0.clock == .system }.map(\.name)
        if !systemNodes.isEmpty {
            let stopped = await context.eachNode(systemNodes) { _, remote throws(NemesisError) -> [String] in
                let out = try await context.run(remote, ClockScripts.stopNTP, sudo: true, doing: "stop NTP")
                return out.split(separator: "\n").map(String.init)
            }
            errors += stopped.errors
            context.withState(State()) { s in
                for (name, services) in stopped.values { s.ntpStopped[name, default: []] += services }
            }
            started.ntpStopped = stopped.values
            started.systemClock = systemNodes
        }

        if plan.kind == "clock-strobe" {
            let period = max(1, plan.details.periodMilliseconds ?? strobePeriodMilliseconds)
            let duration = max(0, plan.details.durationMilliseconds ?? strobeDurationMilliseconds)
            started.plan = ClockPlan(deltaMilliseconds: delta, periodMilliseconds: period, durationMilliseconds: duration)
            let flips = min(1_000, max(2, duration / period))
            var flipErrors: [NodeFailure] = []
            var during: JSONValue = .null
            for flip in 0..<flips where !Task.isCancelled {
                let began = ContinuousClock.now
                let high = flip % 2 == 0
                // Each flip moves the clock by ±delta; an even count ends where it began.
                let errors = await shift(targets, by: high ? delta : -delta, in: context)
                if flipErrors.isEmpty { flipErrors = errors }
                if flip == 0 { during = await measureAll(in: context) }
                let remaining = Duration.milliseconds(period) - (ContinuousClock.now - began)
                if remaining > .zero { try? await Task.sleep(for: remaining) }
            }
            if flips % 2 == 1 || Task.isCancelled { _ = await shift(targets, by: -delta, in: context) }
            started.flips = flips
            started.offsetsDuring = during
            errors += flipErrors
        } else {
            errors += await shift(targets, by: delta, in: context)
        }
        started.offsets = await measureAll(in: context)
        return FaultStep(details: started, errors: errors)
    }

    /// Sets one node's clock back: faketime file to +0, or a real clock to the controller's time plus NTP.
    static func resetClock(_ config: NodeConfig, _ remote: any Remote, in context: FaultContext) async throws(NemesisError) {
        switch config.clock {
        case .faketime:
            try await context.run(
                remote, ClockScripts.writeFaketime(path: ClockScripts.faketimePath(config), milliseconds: 0), sudo: true,
                doing: "reset the faketime file")
            context.withState(State()) { $0.faketimeOffsets[config.name] = 0 }
        case .system:
            if context.withState(State(), { $0.systemClockShifted.contains(config.name) }) {
                try await context.run(
                    remote, ClockScripts.setSystemClock(epochNanoseconds: ClockScripts.realtimeNanoseconds()),
                    sudo: true, doing: "set the clock to the controller's")
                context.withState(State()) { _ = $0.systemClockShifted.remove(config.name) }
            }
            let services = context.withState(State()) { $0.ntpStopped[config.name] ?? [] }
            if !services.isEmpty {
                try await context.run(remote, ClockScripts.startNTP(services), sudo: true, doing: "restart NTP")
                context.withState(State()) { $0.ntpStopped[config.name] = nil }
            }
        }
    }

    /// Moves each target's clock by `delta` ms from where it is now; returns the failures.
    private func shift(_ targets: [NodeConfig], by delta: Int, in context: FaultContext) async -> [NodeFailure] {
        let result = await context.eachNode(targets.map(\.name)) { config, remote throws(NemesisError) -> Bool in
            switch config.clock {
            case .faketime:
                let offset = context.withState(State()) { s -> Int in
                    let next = s.faketimeOffsets[config.name, default: 0] + delta
                    s.faketimeOffsets[config.name] = next
                    return next
                }
                let script = ClockScripts.writeFaketime(path: ClockScripts.faketimePath(config), milliseconds: offset)
                try await context.run(remote, script, sudo: true, doing: "write the faketime file")
            case .system:
                context.withState(State()) { _ = $0.systemClockShifted.insert(config.name) }
                try await context.run(remote, ClockScripts.shiftSystemClock(milliseconds: delta), sudo: true, doing: "date -s")
            }
            return true
        }
        return result.errors
    }
}
