import Basics
import Foundation
import Testing

@testable import Faults

/// The fault registry: names, aliases, `none`, unknown names, order and lookups.
@Suite struct RegistryTests {
    let registry = TestRegistry.builtIn

    @Test func familyNamesSelectTheirKindsInAStableOrder() throws {
        #expect(
            try registry.resolve(["partition", "kill", "pause", "clock", "loss"]) == [
                "partition-halves", "partition-random-halves", "partition-one", "partition-majorities-ring",
                "partition-bridge", "kill", "pause", "clock-bump", "clock-strobe", "packet-loss",
            ])
        #expect(try registry.resolve(["clock"]) == ["clock-bump", "clock-strobe"])
        #expect(try registry.resolve(["partition-one"]) == ["partition-one"])
    }

    @Test func aliasesAndRepeatsGiveEachKindOnce() throws {
        #expect(try registry.resolve(["loss"]) == ["packet-loss"])
        #expect(try registry.resolve(["packet-loss", "loss", "kill", "kill"]) == ["packet-loss", "kill"])
        #expect(try registry.resolve(["partition-bridge", "partition"]).first == "partition-bridge")
        #expect(try registry.resolve(["partition-bridge", "partition"]).count == 5)
        #expect(registry.family(named: "loss")?.name == "packet-loss")
        #expect(registry.family(ofKind: "clock-strobe")?.name == "clock")
        #expect(registry.family(ofKind: "clock") == nil, "a family name is not a kind")
    }

    @Test func noneAloneMeansNoFaultsAndMixedIsAnError() throws {
        #expect(try registry.resolve(["none"]).isEmpty)
        #expect(try registry.resolve([]).isEmpty)
        #expect {
            try registry.resolve(["none", "kill"])
        } throws: { error in
            "\(error)".contains("\"none\" means no faults") && "\(error)".contains("\"kill\"")
        }
    }

    @Test func anUnknownNameListsTheValidOnes() {
        #expect {
            try registry.resolve(["kill", "flood"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("unknown fault \"flood\"") && text.contains("none, partition, kill")
                && text.contains("loss") && text.contains("partition-majorities-ring")
        }
    }

    @Test func namesKindsAndColoursComeFromTheFamilies() {
        #expect(registry.kindNames.count == 10)
        #expect(registry.names.first == "none")
        #expect(Set(registry.names).isSuperset(of: registry.kindNames + ["partition", "clock", "loss", "packet-loss"]))
        #expect(registry.names.count == Set(registry.names).count)
        #expect(registry.colours["packet-loss"] == PacketLossFamily().colour)
        #expect(registry.colours.count == registry.families.count)
        for family in registry.families {
            #expect(!family.help.isEmpty && family.colour.hasPrefix("#"))
            #expect(Set(family.selectedKinds).isSubset(of: Set(family.kinds)))
        }
    }
}

/// docs/nemeses.md shows the families' names, kinds, colours and help from the registry itself.
@Suite struct FaultDocsTests {
    @Test func theDocsTableIsTheRegistrysOwn() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/nemeses.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains(TestRegistry.builtIn.markdownTable), "regenerate the table with BuiltIn.registry.faults.markdownTable")
    }
}
