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
}
