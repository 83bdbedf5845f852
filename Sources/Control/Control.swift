/// Placeholder until the control layer lands (issue 3).
enum ControlPlaceholder {}
