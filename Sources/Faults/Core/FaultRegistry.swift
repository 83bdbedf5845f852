import Control
import Systems

/// The fault families a run may use, looked up by family name, alias or specific kind.
///
/// The one source of fault names, colours and help: the workload file's `nemesis.faults`,
/// `--nemesis`, the controller, `schism heal` and the reports all ask it.
public struct FaultRegistry: Sendable {
    /// The families, in registration order (the order of ``kindNames`` and of heals).
    public let families: [any FaultFamily]
    private let byName: [String: Int]
    private let byKind: [String: Int]

    /// The name that selects no faults at all; only valid on its own.
    public static let none = "none"

    /// A registry of `families`. Two families may not share a name, an alias or a kind.
    public init(_ families: [any FaultFamily]) {
        var byName: [String: Int] = [:]
        var byKind: [String: Int] = [:]
        for (i, family) in families.enumerated() {
            for name in [family.name] + family.aliases {
                precondition(byName[name] == nil && name != Self.none, "fault family name '\(name)' registered twice")
                byName[name] = i
            }
            for kind in family.kinds {
                precondition(byKind[kind] == nil, "fault kind '\(kind)' registered twice")
                byKind[kind] = i
            }
        }
        self.families = families
        self.byName = byName
        self.byKind = byKind
    }

    /// The family called `name` (its name or an alias).
    public func family(named name: String) -> (any FaultFamily)? {
        byName[name].map { families[$0] }
    }

    /// The family that offers the specific kind `kind`.
    public func family(ofKind kind: String) -> (any FaultFamily)? {
        byKind[kind].map { families[$0] }
    }

    /// Every specific kind, family by family.
    public var kindNames: [String] { families.flatMap(\.kinds) }

    /// Every family name and alias, in registration order.
    public var familyNames: [String] { families.flatMap { [$0.name] + $0.aliases } }

    /// Every name ``resolve(_:)`` accepts: `none`, family names and aliases, then kinds (no repeats).
    public var names: [String] {
        var seen: Set<String> = []
        return ([Self.none] + familyNames + kindNames).filter { seen.insert($0).inserted }
    }

    /// Family name → report colour.
    public var colours: [String: String] {
        Dictionary(families.map { ($0.name, $0.colour) }, uniquingKeysWith: { first, _ in first })
    }

    /// The specific kinds that `names` select, without repeats, in the order the names and their families give.
    ///
    /// A family name or alias selects the family's ``FaultFamily/selectedKinds``, a kind selects
    /// itself; `none` alone (or no names) selects nothing, and `none` with any other name is an
    /// error. An unknown name's error lists the valid ones.
    public func resolve(_ names: [String]) throws(NemesisError) -> [String] {
        if names.contains(Self.none) {
            let others = names.filter { $0 != Self.none }
            guard others.isEmpty else {
                throw NemesisError(
                    .unknownFault,
                    message: "\"none\" means no faults and cannot be combined with \(others.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            return []
        }
        var out: [String] = []
        var seen: Set<String> = []
        for name in names {
            let kinds: [String]
            if let family = family(named: name) {
                kinds = family.selectedKinds
            } else if byKind[name] != nil {
                kinds = [name]
            } else {
                throw NemesisError(
                    .unknownFault,
                    message: "unknown fault \"\(name)\"; choose from \(([Self.none] + familyNames).joined(separator: ", ")), "
                        + "or a kind: \(kindNames.joined(separator: ", "))")
            }
            for kind in kinds where seen.insert(kind).inserted { out.append(kind) }
        }
        return out
    }

    /// The history name (`partition`) of a kind's family; the kind itself when no family offers it.
    public func familyName(ofKind kind: String) -> String {
        family(ofKind: kind)?.name ?? kind
    }

    /// What the families of `kinds` say a person must know before trusting a run against `system`.
    public func notes(kinds: [String], system: any SystemUnderTest, nodes: [NodeConfig]) -> [String] {
        let used = Set(kinds.compactMap { byKind[$0] })
        return families.indices.filter(used.contains).flatMap { families[$0].notes(system: system, nodes: nodes) }
    }

    /// The families as a Markdown table (family, kinds, names that select them, colour, help), for docs/nemeses.md.
    public var markdownTable: String {
        var out = "| family (history `start-`/`stop-` name) | kinds | also selected by | colour | what it does |\n"
        out += "|---|---|---|---|---|\n"
        for family in families {
            let kinds = family.kinds.map { "`\($0)`" }.joined(separator: ", ")
            let aliases = family.aliases.isEmpty ? "" : family.aliases.map { "`\($0)`" }.joined(separator: ", ")
            out += "| `\(family.name)` | \(kinds) | \(aliases) | `\(family.colour)` | \(family.help) |\n"
        }
        return out
    }
}
