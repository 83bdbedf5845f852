/// Placeholder until the local cluster lands (issue 3).
enum ClusterPlaceholder {}
