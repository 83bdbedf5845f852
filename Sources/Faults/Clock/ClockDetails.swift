import Basics

/// A clock fault's plan: the offset (the swing, for a strobe) and a strobe's timing.
public struct ClockPlan: FaultDetails {
    /// Milliseconds to move the clocks (negative: back).
    public var deltaMilliseconds: Int
    /// For strobes: milliseconds between flips.
    public var periodMilliseconds: Int?
    /// For strobes: how long it flips, in milliseconds.
    public var durationMilliseconds: Int?

    /// A bump (no period) or a strobe.
    public init(deltaMilliseconds: Int, periodMilliseconds: Int? = nil, durationMilliseconds: Int? = nil) {
        self.deltaMilliseconds = deltaMilliseconds
        self.periodMilliseconds = periodMilliseconds
        self.durationMilliseconds = durationMilliseconds
    }

    public init(json: [String: JSONValue]) throws(NemesisError) {
        deltaMilliseconds = Int(try json.field("delta_ms", \.intValue))
        periodMilliseconds = json["period_ms"]?.intValue.map { Int($0) }
        durationMilliseconds = json["duration_ms"]?.intValue.map { Int($0) }
    }

    public var json: [String: JSONValue] {
        var out: [String: JSONValue] = ["delta_ms": .int(Int64(deltaMilliseconds))]
        if let periodMilliseconds { out["period_ms"] = .int(Int64(periodMilliseconds)) }
        if let durationMilliseconds { out["duration_ms"] = .int(Int64(durationMilliseconds)) }
        return out
    }
}

/// What a clock start records: the plan's numbers, whether it reaches the server, NTP stopped,
/// real clocks moved, and the offsets measured (during a strobe, and after).
public struct ClockStarted: FaultDetails {
    /// The plan as applied (a strobe's period and duration after clamping).
    public var plan: ClockPlan
    /// Whether the fault reaches the server (nil: unknown).
    public var applicable: Bool?
    /// Why it does not, or that it is unknown.
    public var note: String?
    /// NTP services stopped per `system` node.
    public var ntpStopped: [String: [String]]?
    /// The `system` nodes whose real clock was moved.
    public var systemClock: [String]?
    /// For strobes: how many flips ran.
    public var flips: Int?
    /// For strobes: every node's offset after the first flip.
    public var offsetsDuring: JSONValue?
    /// Every node's offset afterwards: `{"n1":{"offset_ms":..,"uncertainty_ms":..},...}`.
    public var offsets: JSONValue = .object([:])

    init(plan: ClockPlan) {
        self.plan = plan
    }

    public init(json: [String: JSONValue]) throws(NemesisError) {
        plan = try ClockPlan(json: json)
        if case .bool(let b)? = json["applicable"] { applicable = b }
        note = json["note"]?.stringValue
        if case .object(let stopped)? = json["ntp_stopped"] {
            ntpStopped = stopped.mapValues { ($0.arrayValue ?? []).compactMap(\.stringValue) }
        }
        systemClock = json["system_clock"]?.arrayValue?.compactMap(\.stringValue)
        flips = json["flips"]?.intValue.map { Int($0) }
        offsetsDuring = json["offsets_during"]
        offsets = json["offsets"] ?? .object([:])
    }

    public var json: [String: JSONValue] {
        var out = plan.json
        if let applicable { out["applicable"] = .bool(applicable) }
        if let note { out["note"] = .string(note) }
        if let ntpStopped { out["ntp_stopped"] = .object(ntpStopped.mapValues { .array($0.map { .string($0) }) }) }
        if let systemClock { out["system_clock"] = .array(systemClock.map { .string($0) }) }
        if let flips { out["flips"] = .int(Int64(flips)) }
        if let offsetsDuring { out["offsets_during"] = offsetsDuring }
        out["offsets"] = offsets
        return out
    }
}

/// What a clock stop records: every node's offset afterwards.
public struct ClockStopped: FaultDetails {
    /// `{"n1":{"offset_ms":..,"uncertainty_ms":..},...}`.
    public var offsets: JSONValue

    /// Details of a stop.
    public init(offsets: JSONValue) {
        self.offsets = offsets
    }

    public init(json: [String: JSONValue]) {
        offsets = json["offsets"] ?? .object([:])
    }

    public var json: [String: JSONValue] { ["offsets": offsets] }
}
