import Basics
import Faults
import Synchronization

/// Follows a nemesis schedule: starts and stops faults at their times and records each in the history.
struct FaultLoop: Sendable {
    let nemesis: NemesisController
    let recorder: Recorder
    let log: RunLog
    /// Where refused faults are told, for the run's notes.
    let refusals: Refusals

    /// Runs the schedule until its end or cancellation; faults still active are left for `healAll`.
    /// The schedule counts from `start`, the run clock's time when the workers began (after setup).
    func run(_ schedule: NemesisSchedule, clock: any RunClock, startingAt start: Int64 = 0) async {
        var active: [Int: FaultRecord] = [:]
        for action in schedule.actions {
            do { try await clock.sleep(untilNanoseconds: start + action.atNanoseconds) } catch { return }
            if Task.isCancelled { return }
            switch action.phase {
            case .start:
                do {
                    let fault = try await nemesis.start(action.kind, seed: action.seed)
                    active[action.faultNumber] = fault
                    recorder.nemesis(f: fault.event.f, value: fault.event.historyValue, error: errorText(fault.event))
                    log.info("fault \(fault.id) started: \(action.kind) on \(fault.nodes.joined(separator: ", "))\(fault.hasErrors ? " (with errors: \(errorText(fault.event) ?? ""))" : "")")
                } catch {
                    recorder.nemesis(
                        f: "start-" + nemesis.registry.familyName(ofKind: action.kind), value: .object(["kind": .string(action.kind)]),
                        error: error.description, type: .fail)
                    log.info("fault \(action.kind) not started: \(error)")
                    refusals.add("A \(action.kind) fault was refused and did not run: \(error.description)")
                }
            case .stop:
                guard let fault = active.removeValue(forKey: action.faultNumber) else { continue }
                let event = await nemesis.stop(fault)
                recorder.nemesis(f: event.f, value: event.historyValue, error: errorText(event))
                log.info("fault \(fault.id) healed: \(fault.kind)")
            }
        }
    }

    private func errorText(_ event: FaultEvent) -> String? {
        event.errors.isEmpty ? nil : event.errors.map(\.description).joined(separator: "; ")
    }
}

/// The faults a run refused, one sentence each, for the run's notes (at most 20 kept).
final class Refusals: Sendable {
    private let sentences = Mutex<[String]>([])

    func add(_ sentence: String) {
        sentences.withLock { if $0.count < 20, !$0.contains(sentence) { $0.append(sentence) } }
    }

    var all: [String] { sentences.withLock { $0 } }
}
