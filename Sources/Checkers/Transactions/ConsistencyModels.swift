/// Elle's consistency models and anomalies, as far as these checkers use them: which anomaly
/// implies which, which model implies which, and which anomalies each model rules out.
///
/// The relations follow Elle's `elle.consistency-model` (after Adya, Bailis et al., Cerone et
/// al.); the names are Elle's so that results compare. An anomaly found rules out every model
/// that prohibits it or an anomaly it implies, and every model stronger than those.
public enum ConsistencyModels {
    /// The models these checkers judge, weakest first.
    public static let names = [
        "read-uncommitted", "read-committed", "cursor-stability", "repeatable-read", "snapshot-isolation",
        "serializable", "strong-session-snapshot-isolation", "strong-snapshot-isolation",
        "strong-session-serializable", "strict-serializable",
    ]

    /// Model → the models it directly implies (a history that satisfies it satisfies them).
    static let implies: [String: [String]] = [
        "strict-serializable": ["serializable", "strong-snapshot-isolation", "strong-session-serializable"],
        "strong-session-serializable": ["serializable", "strong-session-snapshot-isolation"],
        "strong-snapshot-isolation": ["strong-session-snapshot-isolation"],
        "strong-session-snapshot-isolation": ["snapshot-isolation"],
        "serializable": ["repeatable-read", "snapshot-isolation"],
        "snapshot-isolation": ["cursor-stability"],
        "repeatable-read": ["cursor-stability"],
        "cursor-stability": ["read-committed"],
        "read-committed": ["read-uncommitted"],
        "read-uncommitted": [],
    ]

    /// Model → the anomalies it prohibits directly (more through the models it implies).
    static let prohibits: [String: [String]] = [
        "read-uncommitted": ["G0", "duplicate-elements", "cyclic-versions"],
        "read-committed": ["G1"],
        "cursor-stability": ["G1", "lost-update"],
        "repeatable-read": ["G1", "G2-item", "lost-update"],
        "snapshot-isolation": ["internal", "G1", "G-single", "G-nonadjacent"],
        "serializable": ["internal", "G1", "G2"],
        "strong-session-snapshot-isolation": ["internal", "G1-process", "G-nonadjacent-process"],
        "strong-snapshot-isolation": ["internal", "G1-realtime", "G-nonadjacent-realtime"],
        "strong-session-serializable": ["G1-process", "G2-process"],
        "strict-serializable": ["G1", "G1c-realtime", "G2-realtime"],
    ]

    /// Anomaly → the anomalies it implies (Elle's `implied-anomalies`, the part these checkers reach).
    /// `garbage-read` (a read of a value nobody wrote) is Schism's; it implies G1a as an aborted read does.
    static let impliedAnomalies: [String: [String]] = {
        var m: [String: [String]] = [
            "G0": ["G1c", "G0-process"], "G0-process": ["G1c-process", "G0-realtime"], "G0-realtime": ["G1c-realtime"],
            "G1a": ["G1"], "G1b": ["G1"], "G1c": ["G1", "G1c-process"],
            "G1c-process": ["G1c-realtime", "G1-process"], "G1c-realtime": ["G1-realtime"],
            "G1": ["G1-process"], "G1-process": ["G1-realtime"],
            "G-single-item": ["G-single", "G-single-item-process", "G-nonadjacent-item"],
            "G-single-item-process": ["G-single-process", "G-single-item-realtime", "G-nonadjacent-item-process"],
            "G-single-item-realtime": ["G-single-realtime", "G-nonadjacent-item-realtime"],
            "G-single": ["G-nonadjacent", "G-single-process"],
            "G-single-process": ["G-nonadjacent-process", "G-single-realtime"],
            "G-single-realtime": ["G-nonadjacent-realtime"],
            "G-nonadjacent-item": ["G-nonadjacent", "G2-item", "G-nonadjacent-item-process"],
            "G-nonadjacent-item-process": ["G-nonadjacent-process", "G2-item-process", "G-nonadjacent-item-realtime"],
            "G-nonadjacent-item-realtime": ["G2-item-realtime", "G-nonadjacent-realtime"],
            "G-nonadjacent": ["G2", "G-nonadjacent-process"],
            "G-nonadjacent-process": ["G2-process", "G-nonadjacent-realtime"],
            "G-nonadjacent-realtime": ["G2-realtime"],
            "G2": ["G2-process"], "G2-item": ["G2", "G2-item-process"],
            "G2-item-process": ["G2-process", "G2-item-realtime"], "G2-item-realtime": ["G2-realtime"],
            "G2-process": ["G2-realtime"],
            "incompatible-order": ["G1a"], "future-read": ["G1c"], "dirty-update": ["G1a"],
            "garbage-read": ["G1a"], "lost-update": ["G2-item"],
        ]
        m["cyclic-versions"] = []
        return m
    }()

    /// `anomalies` and everything they imply.
    public static func closure(of anomalies: some Sequence<String>) -> Set<String> {
        var out = Set<String>()
        var work = Array(anomalies)
        while let a = work.popLast() {
            guard out.insert(a).inserted else { continue }
            work += impliedAnomalies[a] ?? []
        }
        return out
    }

    /// `model` and every model it implies.
    public static func impliedModels(_ model: String) -> Set<String> {
        var out = Set<String>()
        var work = [model]
        while let m = work.popLast() {
            guard out.insert(m).inserted else { continue }
            work += implies[m] ?? []
        }
        return out
    }

    /// Every anomaly `model` rules out (directly or through the models it implies).
    public static func prohibited(by model: String) -> Set<String> {
        Set(impliedModels(model).flatMap { prohibits[$0] ?? [] })
    }

    /// The models the anomalies found rule out.
    public static func ruledOut(by anomalies: some Sequence<String>) -> [String] {
        let found = closure(of: anomalies)
        return names.filter { !prohibited(by: $0).isDisjoint(with: found) }
    }

    /// The strongest models still consistent with the anomalies found: those not ruled out
    /// that no other model still consistent implies. Empty when even read-uncommitted is ruled out.
    public static func strongest(given anomalies: some Sequence<String>) -> [String] {
        let out = Set(ruledOut(by: anomalies))
        let ok = names.filter { !out.contains($0) }
        return ok.filter { m in !ok.contains { $0 != m && impliedModels($0).contains(m) } }
    }

    /// The anomaly names among `found` that `model` rules out.
    public static func violations(of model: String, in found: some Sequence<String>) -> [String] {
        let banned = prohibited(by: model)
        return found.filter { !closure(of: [$0]).isDisjoint(with: banned) }
    }
}
