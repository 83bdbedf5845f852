/// The built-in fault families: the one line per family that registers it.
///
/// The lead moves this list to the `Plugins` target; tests build their own registries.
extension FaultRegistry {
    /// Partition, kill, pause, clock and packet loss, in the order the schedule's seed has always used.
    public static let standard = FaultRegistry([
        PartitionFamily(),
        KillFamily(),
        PauseFamily(),
        ClockFamily(),
        PacketLossFamily(),
    ])
}
