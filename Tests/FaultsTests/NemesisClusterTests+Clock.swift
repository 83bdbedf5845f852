import Control
import Systems
import Foundation
import Testing

@testable import Faults

/// Clock faults on the suite's local cluster (faketime nodes): offsets measured, reset, refused on `system`.
extension NemesisClusterTests {
    @Test func clockBumpShowsInLibcTimeAndIsReset() async throws {
        let cluster = try NemesisClusterFixture.testCluster()
        defer { Task { await cluster.remotes.closeAll() } }
        let nemesis = NemesisController(cluster: cluster, system: DummyDatabase(), registry: TestRegistry.builtIn)
        let clock = ClockFamily()
        let n2 = try #require(cluster.nodes.first { $0.name == "n2" })
        let remote2 = try cluster.remote(n2)

        let bump = try await nemesis.start(FaultPlan(kind: "clock-bump", nodes: ["n2"], details: ClockPlan(deltaMilliseconds: 2_500)))
        #expect(bump.event.errors.isEmpty, "\(bump.event.errors)")
        #expect(bump.event.details["applicable"] == true)
        let measured = try await clock.measureOffset(n2, remote2, in: nemesis.context)
        print("nemesis: bump +2500 ms on n2 measured \(measured.offsetMilliseconds) ms ± \(measured.uncertaintyMilliseconds) ms")
        #expect(abs(measured.offsetMilliseconds - 2_500) < 100 + measured.uncertaintyMilliseconds, "\(measured)")
        if case .object(let offsets)? = bump.event.details["offsets"], case .object(let o2)? = offsets["n2"],
            case .object(let o1)? = offsets["n1"], let ms2 = o2["offset_ms"], let ms1 = o1["offset_ms"],
            case .double(let v2) = ms2, case .double(let v1) = ms1
        {
            // Each offset is known to within its round trip, which a loaded machine stretches.
            let u2 = o2["uncertainty_ms"].flatMap { if case .double(let u) = $0 { u } else { nil } } ?? 0
            let u1 = o1["uncertainty_ms"].flatMap { if case .double(let u) = $0 { u } else { nil } } ?? 0
            #expect(abs(v2 - 2_500) < 100 + u2)
            #expect(abs(v1) < 100 + u1)
        } else {
            Issue.record("offsets missing from \(bump.event.details)")
        }
        let file = try await Probe.sh(cluster, "n2", "cat \(ClockScripts.faketimePath(n2))").stdoutText
        #expect(file == "+2.500\n")
        _ = await nemesis.stop(bump)
        #expect(abs(try await clock.measureOffset(n2, remote2, in: nemesis.context).offsetMilliseconds) < 100)

        // A short strobe: the clock is off while it runs and back afterwards.
        let strobe = try await nemesis.start(
            FaultPlan(
                kind: "clock-strobe", nodes: ["n1"],
                details: ClockPlan(deltaMilliseconds: -1_000, periodMilliseconds: 50, durationMilliseconds: 300)))
        #expect(strobe.event.errors.isEmpty, "\(strobe.event.errors)")
        #expect(strobe.event.details["flips"] == 6)
        let n1 = try #require(cluster.nodes.first { $0.name == "n1" })
        #expect(abs(try await clock.measureOffset(n1, try cluster.remote(n1), in: nemesis.context).offsetMilliseconds) < 100)
        _ = await nemesis.stop(strobe)

        // Go programs are not reached by libfaketime: the record says so.
        let etcdLike = NemesisController(
            cluster: cluster, system: DummyDatabase(name: "etcd", readsTimeThroughLibc: false), registry: TestRegistry.builtIn)
        let note = try await etcdLike.start(FaultPlan(kind: "clock-bump", nodes: ["n3"], details: ClockPlan(deltaMilliseconds: 500)))
        #expect(note.event.details["applicable"] == false)
        #expect(note.event.details["note"]?.stringValue?.hasPrefix("not applicable to etcd on faketime nodes") == true)
        _ = await etcdLike.healAll()
        let n3 = try #require(cluster.nodes.first { $0.name == "n3" })
        #expect(try await Probe.sh(cluster, "n3", "cat \(ClockScripts.faketimePath(n3))").stdoutText == "+0\n")

        // The same nodes declared `system` must be refused before anything runs.
        let systemNodes = cluster.nodes.map { node -> NodeConfig in
            var copy = node
            copy.clock = .system
            return copy
        }
        let unsafe = NemesisController(
            cluster: TestCluster(nodes: systemNodes, remotes: cluster.remotes), system: nil, registry: TestRegistry.builtIn)
        await #expect(throws: NemesisError.self) {
            _ = try await unsafe.start(FaultPlan(kind: "clock-bump", nodes: ["n1"], details: ClockPlan(deltaMilliseconds: 100)))
        }
    }
}
