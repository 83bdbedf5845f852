import Control
import Testing

@testable import Faults

/// Pure tests of clock texts, parsing and the refusal to touch shared clocks.
@Suite struct ClockScriptTests {
    @Test func offsetTexts() {
        #expect(ClockScripts.offsetText(milliseconds: 0) == "+0")
        #expect(ClockScripts.offsetText(milliseconds: 1250) == "+1.250")
        #expect(ClockScripts.offsetText(milliseconds: -100) == "-0.100")
        #expect(ClockScripts.offsetText(milliseconds: 7) == "+0.007")
        #expect(ClockScripts.offsetText(milliseconds: -262_144) == "-262.144")
    }

    @Test func parsesDateOutput() {
        #expect(ClockScripts.parseEpoch("1700000000.123456789\n") == 1_700_000_000_123_456_789)
        #expect(ClockScripts.parseEpoch("1700000000.5") == 1_700_000_000_500_000_000)
        #expect(ClockScripts.parseEpoch("1700000000") == 1_700_000_000_000_000_000)
        #expect(ClockScripts.parseEpoch("garbage") == nil)
    }

    @Test(arguments: ["127.0.0.1", "localhost", "::1", "10.77.194.11", "10.77.0.12"])
    func refusesRealClockOnSharedHosts(host: String) {
        let node = NodeConfig(name: "n1", host: host, clock: .system)
        #expect(ClockSafety.staticRefusal(node, among: [node]) != nil)
    }

    @Test func refusesTwoNodesOnOneHostAndSameKernel() {
        let a = NodeConfig(name: "a", host: "192.0.2.10", clock: .system)
        let b = NodeConfig(name: "b", host: "192.0.2.10", port: 2222, clock: .system)
        #expect(ClockSafety.staticRefusal(a, among: [a, b])?.contains("same host") == true)
        #expect(ClockSafety.staticRefusal(a, among: [a]) == nil)
        #expect(ClockSafety.bootIDRefusal(["a": "x", "b": "x"], local: "y") != nil)
        #expect(ClockSafety.bootIDRefusal(["a": "x"], local: "x") != nil)
        #expect(ClockSafety.bootIDRefusal(["a": "x", "b": "z"], local: "y") == nil)
        let fake = NodeConfig(name: "n1", host: "127.0.0.1", clock: .faketime)
        #expect(ClockSafety.staticRefusal(fake, among: [fake]) == nil, "faketime nodes never touch the real clock")
    }

    @Test func faketimePathConvention() {
        let node = NodeConfig(name: "n1", host: "h", dataDir: "/var/lib/schism/node", clock: .faketime)
        #expect(ClockScripts.faketimePath(node) == "/var/lib/schism/node/faketime")
        #expect(ClockScripts.writeFaketime(path: "/d/faketime", milliseconds: -1500).contains("printf '%s\\n' -1.500 >"))
    }
}
