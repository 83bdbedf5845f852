import Control
import NIOCore
import Systems

/// Questions to a Sentinel and to a Redis server, each on a fresh connection with a deadline.
enum RedisSentinel {
    /// An address as Sentinel gives it.
    struct Address: Sendable, Hashable {
        var host: String
        var port: Int
    }

    /// The current primary according to the Sentinel on `node` (`SENTINEL get-master-addr-by-name`).
    static func primaryAddress(at node: NodeConfig, config: RedisConfig, deadline: NIODeadline) async throws(RESPError) -> Address {
        let answer = try await ask(
            host: node.host, port: config.sentinelPort, ["SENTINEL", "get-master-addr-by-name", config.masterName], deadline: deadline)
        guard case .array(let items?) = answer, items.count == 2, let host = items[0].text, let port = items[1].text.flatMap({ Int($0) })
        else {
            throw .connect("the Sentinel on \(node.name) (\(node.host):\(config.sentinelPort)) names no primary: \(answer.summary)")
        }
        return Address(host: host, port: port)
    }

    /// `SENTINEL master NAME` as a dictionary (empty when the answer is not a flat array of pairs).
    static func masterState(at node: NodeConfig, config: RedisConfig, deadline: NIODeadline) async throws(RESPError) -> [String: String] {
        let answer = try await ask(host: node.host, port: config.sentinelPort, ["SENTINEL", "master", config.masterName], deadline: deadline)
        return pairs(answer)
    }

    /// The `INFO replication` section of the server on `node`, as `key: value`.
    static func replicationInfo(at node: NodeConfig, config: RedisConfig, deadline: NIODeadline) async throws(RESPError) -> [String: String] {
        let answer = try await ask(host: node.host, port: config.port, ["INFO", "replication"], deadline: deadline)
        guard let text = answer.text else { throw .malformed("INFO answered \(answer.summary)") }
        return infoFields(text)
    }

    /// One command on a fresh connection, closed afterwards.
    static func ask(host: String, port: Int, _ command: [String], deadline: NIODeadline) async throws(RESPError) -> RESPValue {
        let connection = try await RESPConnection.connect(host: host, port: port, deadline: deadline)
        do {
            let answer = try await connection.send(command, deadline: deadline)
            await connection.close()
            return answer
        } catch {
            await connection.close()
            throw error
        }
    }

    /// A flat RESP array `[k1, v1, k2, v2, ...]` as a dictionary.
    static func pairs(_ value: RESPValue) -> [String: String] {
        guard case .array(let items?) = value, items.count % 2 == 0 else { return [:] }
        var out: [String: String] = [:]
        for i in stride(from: 0, to: items.count, by: 2) {
            if let k = items[i].text, let v = items[i + 1].text { out[k] = v }
        }
        return out
    }

    /// `INFO`'s `key:value` lines (sections and comments skipped).
    static func infoFields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return out
    }
}

extension RedisSystem {
    /// Seconds between two rounds of readiness checks.
    static let readyPollSeconds = 0.2

    /// Waits until the primary has every replica online and every Sentinel monitors the
    /// primary with all replicas and all other Sentinels; else throws with what was missing
    /// and the node's daemons and log tails.
    func waitReady(_ cluster: TestCluster, primary: NodeConfig) async throws(SystemError) {
        let start = ContinuousClock.now
        let limit = Duration.milliseconds(Int64(config.readyTimeoutSeconds * 1000))
        let rounds = Int(config.readyTimeoutSeconds / Self.readyPollSeconds) + 2
        var missing: (NodeConfig, String) = (primary, "not checked")
        for _ in 0..<rounds {
            guard let problem = await readiness(cluster, primary: primary) else { return }
            missing = problem
            if ContinuousClock.now - start >= limit { break }
            try? await Task.sleep(for: .milliseconds(Int64(Self.readyPollSeconds * 1000)))
        }
        throw SystemError(
            node: missing.0.name,
            message: "Redis not ready after \(config.readyTimeoutSeconds) s: \(missing.1)",
            detail: await diagnose(missing.0, in: cluster))
    }

    /// nil when ready, else the first node found wanting and what it lacks.
    func readiness(_ cluster: TestCluster, primary: NodeConfig) async -> (NodeConfig, String)? {
        let others = cluster.nodes.count - 1
        let deadline = NIODeadline.now() + .seconds(1)
        do {
            let info = try await RedisSentinel.replicationInfo(at: primary, config: config, deadline: deadline)
            let online = info.filter { $0.key.hasPrefix("slave") && $0.key.dropFirst(5).allSatisfy(\.isNumber) && $0.value.contains("state=online") }
            guard info["role"] == "master", online.count == others else {
                return (primary, "the primary \(primary.name) has \(online.count) of \(others) replicas online (role: \(info["role"] ?? "?"))")
            }
        } catch {
            return (primary, "INFO replication on \(primary.name): \(error)")
        }
        for node in cluster.nodes {
            do {
                let state = try await RedisSentinel.masterState(at: node, config: config, deadline: deadline)
                guard state["ip"] == primary.host, state["num-slaves"] == "\(others)", state["num-other-sentinels"] == "\(others)" else {
                    return (
                        node,
                        "the Sentinel on \(node.name) sees primary \(state["ip"] ?? "?"), \(state["num-slaves"] ?? "?") replicas and "
                            + "\(state["num-other-sentinels"] ?? "?") other Sentinels (want \(primary.host), \(others), \(others))"
                    )
                }
            } catch {
                return (node, "SENTINEL master \(config.masterName) on \(node.name): \(error)")
            }
        }
        return nil
    }
}
