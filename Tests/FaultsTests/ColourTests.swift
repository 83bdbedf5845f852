import Basics
import Histories
import Report
import Testing

@testable import Faults

/// Reports draw each fault family in its registered colour, under the name the history uses.
@Suite struct ColourTests {
    /// A history with one start and stop of every registered family, as the controller writes them.
    static func history(_ registry: FaultRegistry) -> History {
        var ops: [Op] = []
        var t: Int64 = 1_000_000
        for family in registry.families {
            for phase in [FaultEvent.Phase.start, .stop] {
                let event = FaultEvent(
                    timeNanoseconds: t, faultID: ops.count / 2 + 1, phase: phase, family: family.name,
                    kind: family.kinds.first, nodes: ["n1"])
                ops.append(event.operation(index: ops.count))
                t += 1_000_000
            }
        }
        return History(operations: ops)
    }

    @Test func everyFamilyGetsItsRegisteredColourInTheRunReport() throws {
        let registry = TestRegistry.builtIn
        let html = try RunReport.renderHTML(
            history: Self.history(registry), result: nil,
            metadata: RunMetadata(workload: "colours", faultColours: registry.colours))
        for family in registry.families {
            // The legend swatch next to the family's history name, in the family's colour.
            let swatch = "<span class=\"sw fault\" style=\"background:\(family.colour)\"></span>\(family.name)"
            #expect(html.contains(swatch), "\(family.name) is not drawn in \(family.colour)")
        }
    }

    @Test func theCheckReportAndIntervalsUseTheTableTooWithAPaletteFallback() {
        let registry = TestRegistry.builtIn
        let faults = FaultInterval.intervals(in: Self.history(registry).operations, colours: registry.colours)
        #expect(faults.count == registry.families.count)
        for f in faults { #expect(f.colour == registry.colours[f.kind], "\(f.kind)") }
        let unknown = FaultInterval.colour("disk-full", in: registry.colours)
        #expect(unknown.hasPrefix("#") && unknown == FaultInterval.colour("disk-full", in: [:]))
    }
}
