import Basics
import Control
import Testing

@Suite("Shell quoting")
struct ShellQuoteTests {
    @Test("safe words stay bare, others are single-quoted")
    func simpleCases() {
        #expect(ShellQuote.quote("abc") == "abc")
        #expect(ShellQuote.quote("/usr/bin/x-y_z.1") == "/usr/bin/x-y_z.1")
        #expect(ShellQuote.quote("") == "''")
        #expect(ShellQuote.quote("a b") == "'a b'")
        #expect(ShellQuote.quote("it's") == "'it'\\''s'")
        #expect(ShellQuote.join(["echo", "$HOME", "*"]) == "echo '$HOME' '*'")
    }

    /// Property: for random strings s, `sh -c "printf '%s\0' <quote(s)>"` prints exactly s.
    @Test("random strings round-trip through sh -c", arguments: ["sh", "bash"])
    func roundTrip(shell: String) async throws {
        guard LocalProcess.which(shell) != nil else { return }
        let seed = UInt64.random(in: 1...UInt64.max)
        print("ShellQuote round-trip seed: \(seed) (\(shell))")
        var rng = SplitMix64(seed: seed)
        let alphabet: [Character] = Array("aZ09 \t\n'\"`$\\!*?[]{}()<>|&;#~=%^,.-_/:@+") + ["é", "日", "🙂", "\u{7f}", "\u{1}"]
        var words: [String] = ["", "'", "''", "\\'", "$(id)", "`id`", "-n", "--", "a'b\"c"]
        for _ in 0..<400 {
            let length = Int(rng.next() % 24)
            words.append(String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        let script = "printf '%s\\0' " + ShellQuote.join(words)
        let out = try await LocalProcess.run([shell, "-c", script], timeoutSeconds: 30)
        #expect(out.exitStatus == 0, "seed \(seed): \(out.stderrText)")
        var got = out.stdout.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        if got.last == "" { got.removeLast() }
        #expect(got == words, "seed \(seed)")
    }
}

/// A small seeded generator, so a failing case can be reproduced from its printed seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
