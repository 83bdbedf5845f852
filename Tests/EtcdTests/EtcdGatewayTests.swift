import Basics
import Control
import Foundation
import Histories
import Systems
import Testing

@testable import Etcd

/// The gateway's JSON bodies and answers, and the fail/info rules, without a server.
@Suite
struct EtcdGatewayTests {
    @Test("register values are stored as their JSON text, base64-encoded")
    func bodies() throws {
        #expect(EtcdGateway.putBody(key: "k1", value: 5) == #"{"key":"azE=","value":"NQ=="}"#)
        #expect(EtcdGateway.rangeBody(key: "k1", serializable: false) == #"{"key":"azE="}"#)
        #expect(EtcdGateway.rangeBody(key: "k1", serializable: true) == #"{"key":"azE=","serializable":true}"#)
        let cas = try JSONValue.parse(EtcdGateway.casBody(key: "k1", expected: 5, new: 6))
        let expected: JSONValue = [
            "compare": [["key": "azE=", "result": "EQUAL", "target": "VALUE", "value": "NQ=="]],
            "success": [["requestPut": ["key": "azE=", "value": "Ng=="]]],
        ]
        #expect(cas == expected)
    }

    @Test("range answers: absent key is null, values decode back to JSON")
    func rangeAnswers() throws {
        let header = #""header":{"revision":"2"}"#
        #expect(try EtcdGateway.rangeValue("{\(header)}") == .null)
        #expect(try EtcdGateway.rangeValue(#"{"kvs":[{"key":"azE=","value":"NDI="}],"count":"1"}"#) == 42)
        #expect(try EtcdGateway.rangeValue(#"{"kvs":[{"key":"azE="}]}"#) == .string(""))
        #expect(try EtcdGateway.rangeValue(#"{"kvs":[{"key":"azE=","value":"YWJj"}]}"#) == .string("abc"))
        #expect(throws: EtcdGateway.Malformed.self) { try EtcdGateway.rangeValue("<html>") }
    }

    /// Bodies captured from etcd 3.4.23 (Debian's etcd-server) on 127.0.0.1 with curl: a range
    /// of an absent key, a put, a range, a txn whose compare held, one whose compare failed.
    enum Captured {
        static let rangeAbsent = #"{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"1","raft_term":"2"}}"#
        static let put = #"{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"2","raft_term":"2"}}"#
        static let range = #"{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"2","raft_term":"2"},"kvs":[{"key":"azE=","create_revision":"2","mod_revision":"2","version":"1","value":"NQ=="}],"count":"1"}"#
        static let txnHeld = #"{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"3","raft_term":"2"},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"3"}}}]}"#
        static let txnFailed = #"{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"3","raft_term":"2"}}"#
        static let rangeAfterTxn = #"{"header":{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"3","raft_term":"2"},"kvs":[{"key":"azE=","create_revision":"2","mod_revision":"3","version":"2","value":"Ng=="}],"count":"1"}"#
    }

    @Test("versions from real etcd answers: mod_revision of a read (0 when absent), the header's revision of a put and a txn")
    func versionsFromRealAnswers() throws {
        #expect(try range(Captured.rangeAbsent) == "null @0")
        #expect(try EtcdGateway.headerRevision(Captured.put) == 2)
        #expect(try range(Captured.range) == "5 @2")
        #expect(try EtcdGateway.txnSucceeded(Captured.txnHeld))
        #expect(try EtcdGateway.headerRevision(Captured.txnHeld) == 3)
        #expect(try !EtcdGateway.txnSucceeded(Captured.txnFailed))
        #expect(try range(Captured.rangeAfterTxn) == "6 @3")
        // int64 fields are strings; an integer is accepted, anything else is malformed.
        #expect(try EtcdGateway.headerRevision(#"{"header":{"revision":7}}"#) == 7)
        #expect(try EtcdGateway.headerRevision(#"{"succeeded":true}"#) == nil)
        #expect(try range(#"{"kvs":[{"key":"azE=","value":"NQ=="}]}"#) == "5 @nil")
        #expect(throws: EtcdGateway.Malformed.self) { try EtcdGateway.headerRevision(#"{"header":{"revision":"x"}}"#) }
        #expect(throws: EtcdGateway.Malformed.self) { try EtcdGateway.rangeResult(#"{"kvs":[{"mod_revision":true}]}"#) }
    }

    /// A range answer's value and version as text: `5 @2`, `null @0`.
    func range(_ body: String) throws -> String {
        let (value, version) = try EtcdGateway.rangeResult(body)
        return "\(value.jsonText) @\(version.map(String.init) ?? "nil")"
    }

    @Test("txn answers: succeeded only when etcd says so")
    func txnAnswers() throws {
        #expect(try EtcdGateway.txnSucceeded(#"{"header":{},"succeeded":true,"responses":[]}"#))
        #expect(try !EtcdGateway.txnSucceeded(#"{"header":{}}"#))
        #expect(EtcdGateway.errorMessage(#"{"error":"etcdserver: request timed out","code":14}"#) == "etcdserver: request timed out")
        #expect(EtcdGateway.errorMessage("") == "(empty body)")
    }

    @Test("4xx (but 408) is a definite rejection; 408 and 5xx may have taken effect; reads always fail")
    func statusRules() {
        for status in [400, 401, 403, 404, 429] { #expect(EtcdOutcome.isDefiniteRejection(status: status)) }
        for status in [408, 500, 503, 504] { #expect(!EtcdOutcome.isDefiniteRejection(status: status)) }
        #expect(EtcdOutcome.failureType(isRead: false, definite: false) == .info)
        #expect(EtcdOutcome.failureType(isRead: false, definite: true) == .fail)
        #expect(EtcdOutcome.failureType(isRead: true, definite: false) == .fail)
        #expect(EtcdOutcome.formatSeconds(1) == "1s" && EtcdOutcome.formatSeconds(0.5) == "0.5s")
    }

    @Test("every key the client sends is under the run's prefix; values are unchanged")
    func keyPrefix() async throws {
        let factory = EtcdClientFactory()
        let made = try factory.makeClient(
            node: NodeConfig(name: "n1", host: "127.0.0.1"), options: ClientOptions(timeoutSeconds: 1, keyPrefix: "run7/"))
        await factory.shutdown()
        let client = try #require(made as? EtcdClient)
        /// The decoded keys in a gateway body, at `paths` (each a list of object keys and array indices).
        func keys(_ request: ClientRequest, _ paths: [[String]]) throws -> [String] {
            let body = try JSONValue.parse(try client.gatewayRequest(request).get().body)
            return try paths.map { path in
                var v = body
                for step in path {
                    switch v {
                    case .array(let items): v = try #require(Int(step).flatMap { items.indices.contains($0) ? items[$0] : nil })
                    case .object(let fields): v = try #require(fields[step])
                    default: Issue.record("no \(step) in \(v)")
                    }
                }
                let encoded = try #require(v.stringValue)
                let data = try #require(Data(base64Encoded: encoded))
                return String(decoding: data, as: UTF8.self)
            }
        }
        #expect(try keys(ClientRequest(f: "read", key: "k1", value: .null), [["key"]]) == ["run7/k1"])
        #expect(try keys(ClientRequest(f: "write", key: "k1", value: 5), [["key"]]) == ["run7/k1"])
        #expect(try keys(ClientRequest(f: "write", key: "k1", value: 5), [["value"]]) == ["5"])
        let cas = ClientRequest(f: "cas", key: "k1", value: [5, 6])
        #expect(try keys(cas, [["compare", "0", "key"], ["success", "0", "requestPut", "key"]]) == ["run7/k1", "run7/k1"])
        #expect(try keys(cas, [["compare", "0", "value"], ["success", "0", "requestPut", "value"]]) == ["5", "6"])
        #expect(throws: EtcdClient.Refusal.self) { try client.gatewayRequest(ClientRequest(f: "txn", key: nil, value: [])).get() }
    }
}
