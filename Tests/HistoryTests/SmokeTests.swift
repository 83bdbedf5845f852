import Testing
@testable import History

@Test func smoke() throws {
    let h = try HistoryReader.read(text: "{\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}\n")
    #expect(h.operations.count == 1)
}
