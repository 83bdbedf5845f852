import Basics
import Histories
import NIOCore
import Systems

/// Transactions (`txn`, list-append and rw-register) as Jepsen's etcd append workload runs them.
///
/// 1. Read every key the transaction touches in one read-only etcd txn (a consistent snapshot):
///    each key's value and `mod_revision` (0 when absent).
/// 2. Apply the micro-operations in order to that snapshot locally: a read sees the snapshot with
///    the transaction's own earlier writes; an append adds to the key's list, a `w` replaces it.
/// 3. Unless it only read, commit with one etcd txn that compares the `mod_revision` of every key
///    touched with the one read and puts every written key's new value. A failed comparison
///    (another transaction wrote a key in between) wrote nothing: start again, at most
///    ``maxTxnAttempts`` times; then the transaction is `fail`.
///
/// Outcomes: step 1 failing is `fail` (nothing was written); step 3 is `ok` when the
/// comparison held, `fail` when etcd refused it definitely or it was never sent, `info` on a
/// timeout or a lost connection. Lists are stored as JSON arrays (`[1,2,3]`), registers as
/// their JSON number. All attempts share the request's deadline.
extension EtcdClient {
    /// Attempts at a transaction whose comparison keeps failing.
    public static let maxTxnAttempts = 5

    /// Runs a `txn` request; never throws.
    public func transact(_ request: ClientRequest) async -> ClientResponse {
        let ops: [MicroOp]
        switch MicroOp.parse(request.value) {
        case .success(let o): ops = o
        case .failure(let refusal): return ClientResponse(type: .fail, value: request.value, error: refusal.message)
        }
        var keys: [Int64] = []
        for op in ops where !keys.contains(op.key) { keys.append(op.key) }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeoutSeconds * 1e9))
        for _ in 0..<Self.maxTxnAttempts {
            // 1. The snapshot.
            let snapshot: [Int64: (value: JSONValue?, revision: Int64)]
            switch await post(EtcdGateway.txnPath, body: EtcdGateway.readTxnBody(keys: keys.map(name)), deadline: deadline) {
            case .answer(let status, let text) where status == 200:
                do throws(EtcdGateway.Malformed) {
                    let results = try EtcdGateway.readTxnResults(text, count: keys.count)
                    snapshot = Dictionary(uniqueKeysWithValues: zip(keys, results))
                } catch {
                    return ClientResponse(type: .fail, value: request.value, error: "unreadable txn response: \(error)")
                }
            case .answer(let status, let text):
                return ClientResponse(type: .fail, value: request.value, error: "reading: HTTP \(status): \(EtcdGateway.errorMessage(text))")
            case .error(let error):
                return ClientResponse(type: .fail, value: request.value, error: "reading: " + EtcdOutcome.message(for: error, timeoutSeconds: timeoutSeconds))
            }
            // 2. The transaction applied locally.
            var state = snapshot.mapValues { $0.value ?? (listReads ? .array([]) : .null) }
            var written: [Int64] = []
            var completed: [JSONValue] = []
            for op in ops {
                let current = state[op.key] ?? .null
                switch op.fn {
                case "r":
                    completed.append(op.json(read: current))
                case "append":
                    state[op.key] = .array((current.arrayValue ?? []) + [.int(op.value ?? 0)])
                    if !written.contains(op.key) { written.append(op.key) }
                    completed.append(op.json(read: nil))
                default:
                    state[op.key] = .int(op.value ?? 0)
                    if !written.contains(op.key) { written.append(op.key) }
                    completed.append(op.json(read: nil))
                }
            }
            if written.isEmpty { return ClientResponse(type: .ok, value: .array(completed)) }
            // 3. Commit if nothing changed.
            let body = EtcdGateway.guardedTxnBody(
                compare: keys.map { (name($0), snapshot[$0]?.revision ?? 0) },
                puts: written.map { (name($0), state[$0] ?? .null) })
            switch await post(EtcdGateway.txnPath, body: body, deadline: deadline) {
            case .answer(let status, let text) where status == 200:
                do throws(EtcdGateway.Malformed) {
                    if try EtcdGateway.txnSucceeded(text) { return ClientResponse(type: .ok, value: .array(completed)) }
                } catch {
                    return ClientResponse(type: .info, value: request.value, error: "unreadable txn response: \(error)")
                }
            case .answer(let status, let text):
                return ClientResponse(
                    type: EtcdOutcome.failureType(isRead: false, definite: EtcdOutcome.isDefiniteRejection(status: status)),
                    value: request.value, error: "HTTP \(status): \(EtcdGateway.errorMessage(text))")
            case .error(let error):
                return ClientResponse(
                    type: EtcdOutcome.failureType(isRead: false, definite: EtcdOutcome.neverSent(error)),
                    value: request.value, error: EtcdOutcome.message(for: error, timeoutSeconds: timeoutSeconds))
            }
        }
        return ClientResponse(
            type: .fail, value: request.value,
            error: "the keys changed between read and commit \(Self.maxTxnAttempts) times in a row")
    }

    /// The name a key has in etcd: the run's prefix and the key's number.
    func name(_ key: Int64) -> String { keyPrefix + String(key) }
}

extension EtcdGateway {
    /// A txn without comparisons that reads `keys` (a consistent snapshot of all of them).
    static func readTxnBody(keys: [String]) -> String {
        let ranges: [JSONValue] = keys.map { ["requestRange": ["key": .string(base64($0))]] }
        return JSONValue.object(["success": .array(ranges)]).jsonText
    }

    /// The value (nil when absent) and `mod_revision` (0 when absent) of each range of a
    /// ``readTxnBody(keys:)`` answer, in order.
    static func readTxnResults(_ body: String, count: Int) throws(Malformed) -> [(value: JSONValue?, revision: Int64)] {
        guard let parsed = try? JSONValue.parse(body), case .object(let object) = parsed else {
            throw Malformed(description: "not a JSON object: \(body.prefix(200))")
        }
        let responses = object["responses"]?.arrayValue ?? []
        guard responses.count == count else { throw Malformed(description: "\(responses.count) responses for \(count) reads") }
        var out: [(value: JSONValue?, revision: Int64)] = []
        for response in responses {
            guard case .object(let r) = response, let range = r["response_range"] ?? r["responseRange"] else {
                throw Malformed(description: "a response without response_range: \(response.jsonText.prefix(200))")
            }
            let (value, version) = try rangeResult(range.jsonText)
            let absent = version == 0
            out.append((absent ? nil : value, version ?? 0))
        }
        return out
    }

    /// A txn that puts `puts` if every key of `compare` still has the given `mod_revision`
    /// (0: the key does not exist).
    static func guardedTxnBody(compare: [(key: String, revision: Int64)], puts: [(key: String, value: JSONValue)]) -> String {
        let compares: [JSONValue] = compare.map {
            ["key": .string(base64($0.key)), "result": "EQUAL", "target": "MOD", "mod_revision": .string(String($0.revision))]
        }
        let success: [JSONValue] = puts.map {
            ["requestPut": ["key": .string(base64($0.key)), "value": .string(base64(encode($0.value)))]]
        }
        return JSONValue.object(["compare": .array(compares), "success": .array(success)]).jsonText
    }
}
