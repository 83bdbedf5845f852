import Basics
import Foundation
import Histories

/// Request bodies and response parsing for etcd's v3 JSON gateway (`/v3/kv/*`).
///
/// Keys and values travel base64-encoded. A register value is stored as its JSON text, so
/// integers are decimal strings (`5` is stored as the bytes `5`) and reading them back gives
/// the same JSON value; a stored text that is not JSON reads back as a string.
enum EtcdGateway {
    /// `POST /v3/kv/range` for one key.
    static let rangePath = "/v3/kv/range"
    /// `POST /v3/kv/put`.
    static let putPath = "/v3/kv/put"
    /// `POST /v3/kv/txn`.
    static let txnPath = "/v3/kv/txn"

    static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }

    /// The stored text of a register value: its compact JSON (`5` → `5`, `"a"` → `"a"`).
    static func encode(_ value: JSONValue) -> String {
        value.jsonText
    }

    /// The register value of a stored text (JSON if it parses, else the text as a string).
    static func decode(_ stored: String) -> JSONValue {
        (try? JSONValue.parse(stored)) ?? .string(stored)
    }

    /// A range request for `key`; `serializable` reads the local member's state without a quorum.
    static func rangeBody(key: String, serializable: Bool) -> String {
        var object: [String: JSONValue] = ["key": .string(base64(key))]
        if serializable { object["serializable"] = true }
        return JSONValue.object(object).jsonText
    }

    /// A put of `value` under `key`.
    static func putBody(key: String, value: JSONValue) -> String {
        JSONValue.object(["key": .string(base64(key)), "value": .string(base64(encode(value)))]).jsonText
    }

    /// A transaction: if `key`'s value equals `expected`, put `new`.
    ///
    /// etcd fails a value comparison on an absent key, so a cas on an unset register fails.
    static func casBody(key: String, expected: JSONValue, new: JSONValue) -> String {
        let k = JSONValue.string(base64(key))
        let compare: JSONValue = [
            "key": k, "result": "EQUAL", "target": "VALUE", "value": .string(base64(encode(expected))),
        ]
        let put: JSONValue = ["requestPut": ["key": k, "value": .string(base64(encode(new)))]]
        return JSONValue.object(["compare": [compare], "success": [put]]).jsonText
    }

    /// A response that could not be understood.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The value of the first key in a range response; `null` when the key is absent.
    static func rangeValue(_ body: String) throws(Malformed) -> JSONValue {
        try rangeResult(body).value
    }

    /// The value and `mod_revision` of the first key in a range response.
    ///
    /// An absent key reads `null` with version 0 (etcd's own convention: a comparison of
    /// `mod_revision` with 0 tests that a key does not exist). A present key without a
    /// `mod_revision` (etcd always sends one) has no version.
    static func rangeResult(_ body: String) throws(Malformed) -> (value: JSONValue, version: Int64?) {
        let object = try parseObject(body)
        guard let kvs = object["kvs"], case .array(let list) = kvs, let first = list.first else { return (.null, 0) }
        guard case .object(let kv) = first else { throw Malformed(description: "kvs[0] is not an object") }
        let version = try int64(kv["mod_revision"], "kvs[0].mod_revision")
        // etcd omits empty fields: a missing value is the empty string.
        guard let encoded = kv["value"]?.stringValue else { return (decode(""), version) }
        guard let data = Data(base64Encoded: encoded) else {
            throw Malformed(description: "value is not base64: \(encoded.prefix(80))")
        }
        return (decode(String(decoding: data, as: UTF8.self)), version)
    }

    /// The store's revision in a response's `header`: for a put, and for a txn whose comparison
    /// held and that wrote, the revision of that write (the key's new `mod_revision`).
    static func headerRevision(_ body: String) throws(Malformed) -> Int64? {
        let object = try parseObject(body)
        guard let header = object["header"] else { return nil }
        guard case .object(let fields) = header else { throw Malformed(description: "header is not an object") }
        return try int64(fields["revision"], "header.revision")
    }

    /// An int64 field: the gateway sends them as decimal strings (`"12"`); a JSON integer is
    /// accepted too. Absent: nil.
    private static func int64(_ value: JSONValue?, _ name: String) throws(Malformed) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .int(let i)?: return i
        case .string(let text)?:
            guard let i = Int64(text) else { throw Malformed(description: "\(name) is not an integer: \(text.prefix(40))") }
            return i
        case let other?: throw Malformed(description: "\(name) is not an integer: \(other.jsonText.prefix(40))")
        }
    }

    /// Whether a txn's comparison held (etcd omits `succeeded` when it is false).
    static func txnSucceeded(_ body: String) throws(Malformed) -> Bool {
        let object = try parseObject(body)
        guard let succeeded = object["succeeded"] else { return false }
        guard case .bool(let b) = succeeded else { throw Malformed(description: "succeeded is not a boolean") }
        return b
    }

    /// The gateway's error message (`{"error": ..., "code": ...}`), else the body's start.
    static func errorMessage(_ body: String) -> String {
        if let object = try? parseObject(body), let message = object["error"]?.stringValue ?? object["message"]?.stringValue {
            return message
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "(empty body)" : String(trimmed.prefix(200))
    }

    private static func parseObject(_ body: String) throws(Malformed) -> [String: JSONValue] {
        guard let value = try? JSONValue.parse(body), case .object(let object) = value else {
            throw Malformed(description: "not a JSON object: \(body.prefix(200))")
        }
        return object
    }
}
