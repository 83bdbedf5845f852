import Basics
import Foundation
import Testing

@testable import Etcd

/// The bodies and answers of etcd transactions for list-append and rw-register.
struct EtcdTxnGatewayTests {
    static func obj(_ v: JSONValue?) -> [String: JSONValue]? {
        if case .object(let o)? = v { return o }
        return nil
    }

    static func decode64(_ s: JSONValue?) -> String {
        String(decoding: Data(base64Encoded: s?.stringValue ?? "") ?? Data(), as: UTF8.self)
    }

    @Test func aReadTxnRangesEveryKey() throws {
        let body = try JSONValue.parse(EtcdGateway.readTxnBody(keys: ["p/1", "p/2"]))
        let success = Self.obj(body)?["success"]?.arrayValue ?? []
        #expect(success.count == 2)
        #expect(Self.decode64(Self.obj(Self.obj(success.first)?["requestRange"])?["key"]) == "p/1")
        #expect(Self.obj(body)?["compare"] == nil)
    }

    @Test func readResultsGiveValueAndRevisionOrAbsence() throws {
        let list = Data("[1,2]".utf8).base64EncodedString()
        // As etcd 3.4's gateway answers: the second key is absent (no kvs).
        let answer = #"{"header":{"revision":"9"},"succeeded":true,"responses":["#
            + #"{"response_range":{"header":{"revision":"9"},"kvs":[{"key":"cC8x","create_revision":"4","mod_revision":"7","version":"2","value":"\#(list)"}],"count":"1"}},"#
            + #"{"response_range":{"header":{"revision":"9"}}}]}"#
        let results = try EtcdGateway.readTxnResults(answer, count: 2)
        #expect(results[0].value == [1, 2] && results[0].revision == 7)
        #expect(results[1].value == nil && results[1].revision == 0)
        #expect(throws: EtcdGateway.Malformed.self) { try EtcdGateway.readTxnResults(answer, count: 3) }
    }

    @Test func aGuardedTxnComparesEveryKeyAndPutsTheWrites() throws {
        let body = try JSONValue.parse(EtcdGateway.guardedTxnBody(compare: [("p/1", 7), ("p/2", 0)], puts: [("p/1", [1, 2, 3])]))
        let compare = Self.obj(body)?["compare"]?.arrayValue ?? []
        #expect(compare.count == 2)
        #expect(Self.obj(compare[1])?["mod_revision"] == "0" && Self.obj(compare[1])?["target"] == "MOD")
        let put = Self.obj(Self.obj(Self.obj(body)?["success"]?.arrayValue?.first)?["requestPut"])
        #expect(Self.decode64(put?["value"]) == "[1,2,3]")
    }
}
