/// The three-valued outcome of a check.
public enum Verdict: String, Sendable, Codable, Comparable {
    /// Some order of the operations explains every result.
    case valid
    /// The check could not finish (time-out, cancellation): neither proved nor refuted.
    case unknown
    /// No order explains the results: a consistency violation.
    case invalid

    private var rank: Int {
        switch self {
        case .valid: return 0
        case .unknown: return 1
        case .invalid: return 2
        }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }

    /// Merges two verdicts by priority: invalid beats unknown beats valid.
    public func merged(with other: Verdict) -> Verdict { max(self, other) }

    /// The process exit status for this verdict: 0 valid, 1 invalid, 2 unknown.
    public var exitCode: Int32 {
        switch self {
        case .valid: return ExitStatus.valid
        case .invalid: return ExitStatus.invalid
        case .unknown: return ExitStatus.unknown
        }
    }
}
