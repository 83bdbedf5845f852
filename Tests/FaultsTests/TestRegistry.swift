@testable import Faults

/// The built-in fault families, registered explicitly as a test's own registry.
enum TestRegistry {
    /// Partition, kill, pause, clock and packet loss with their default sizes.
    static let builtIn = FaultRegistry([PartitionFamily(), KillFamily(), PauseFamily(), ClockFamily(), PacketLossFamily()])
}
