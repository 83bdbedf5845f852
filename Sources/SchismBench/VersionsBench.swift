import Basics
import Checkers
import Foundation
import Histories

/// `schism-bench versions [FILE...]`: the plain and the versioned register model on the same
/// histories, with their times and verdicts.
///
/// Without files it generates correct, etcd-like register histories: `processes` clients on one
/// key, each operation taking effect at a random instant between its invocation and completion,
/// writes numbered by a global revision, about 1 write or cas in 30 timing out (`info`, applied or not).
enum VersionsBench {
    static func run(_ files: [String]) throws {
        let budget = 30.0
        if files.isEmpty {
            for (processes, operations) in [(5, 2_000), (10, 2_000), (30, 1_000), (30, 3_000)] {
                let ops = generate(processes: processes, operations: operations, seed: 7)
                try compare("generated: \(processes) clients on one key, \(operations) ops", OpLog(ops), budget: budget)
            }
        }
        for file in files {
            try compare(file, try HistoryReader.read(path: file).operations, budget: budget)
        }
    }

    /// Checks `ops` with cas-register and with the versions, and prints both.
    static func compare(_ name: String, _ ops: OpLog, budget: Double) throws {
        print(name)
        let options = CheckOptions(timeoutSeconds: budget, partitionTimeoutSeconds: budget)
        let plain = RegisterModel(allowsCAS: true)
        var r = try LinearizabilityChecker(model: plain, options: options).check(operations: ops)
        print(line("plain cas-register", r))
        let choice = RegisterVersions.choose(plain, for: ops, nullReadsAreUnknown: false)
        r = try LinearizabilityChecker(model: choice.model, options: options).check(operations: choice.operations)
        print(line(choice.model.name, r))
    }

    static func line(_ model: String, _ r: CheckResult) -> String {
        let undecided = r.partitions.filter { $0.verdict == .unknown }.count
        return String(
            format: "  %-20@ %-8@ %8.3f s  (%d keys, %d undecided)", model as NSString,
            r.verdict.rawValue as NSString, r.elapsedSeconds, r.partitions.count, undecided)
    }

    /// A linearizable register history with versions (see the type's summary).
    static func generate(processes: Int, operations: Int, seed: UInt64) -> [Op] {
        var rng = SplitMix(seed: seed)
        struct InFlight { var f: String; var input: JSONValue; var applied: Bool; var ok: Bool; var output: JSONValue; var version: Int64? }
        var flight: [InFlight?] = Array(repeating: nil, count: processes)
        var process = Array(0..<processes)
        var nextProcess = processes
        var value: JSONValue = .null
        var version: Int64 = 0
        var revision: Int64 = 0
        var ops: [Op] = []
        var started = 0
        func add(_ p: Int, _ type: OpType, _ f: String, _ v: JSONValue, _ extra: [String: JSONValue] = [:]) {
            ops.append(Op(index: ops.count, process: .client(p), type: type, f: f, key: "k", value: v, extra: extra))
        }
        while started < operations || flight.contains(where: { $0 != nil }) {
            let s = rng.next(below: processes)
            guard var op = flight[s] else {
                guard started < operations else { continue }
                started += 1
                let roll = rng.next(below: 10)
                let v = JSONValue.int(Int64(rng.next(below: 5)))
                let (f, input): (String, JSONValue) = roll < 5 ? ("read", .null) : roll < 7 ? ("write", v) : ("cas", [.int(Int64(rng.next(below: 5))), v])
                flight[s] = InFlight(f: f, input: input, applied: false, ok: false, output: input, version: nil)
                add(process[s], .invoke, f, input)
                continue
            }
            if !op.applied {
                if rng.next(below: 100) == 0 && op.f != "read" {
                    // Timed out before taking effect, and never will.
                    flight[s] = nil
                    add(process[s], .info, op.f, op.input)
                    process[s] = nextProcess
                    nextProcess += 1
                    continue
                }
                op.applied = true
                // Other revisions (other keys) pass in between.
                revision += 1 + Int64(rng.next(below: 3))
                switch op.f {
                case "read": op.ok = true; op.output = value; op.version = version
                case "write": value = op.input; version = revision; op.ok = true; op.version = revision
                default:
                    if op.input.arrayValue?.first == value, let new = op.input.arrayValue?.last {
                        value = new; version = revision; op.ok = true; op.version = revision
                    }
                }
                flight[s] = op
                continue
            }
            flight[s] = nil
            if rng.next(below: 50) == 0 && op.f != "read" {
                add(process[s], .info, op.f, op.input)
                process[s] = nextProcess
                nextProcess += 1
            } else if op.ok {
                add(process[s], .ok, op.f, op.output, op.version.map { ["version": .int($0)] } ?? [:])
            } else {
                add(process[s], .fail, op.f, op.input)
            }
        }
        return ops
    }
}
