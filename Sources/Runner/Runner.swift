/// Placeholder until the runner lands.
enum RunnerPlaceholder {}
