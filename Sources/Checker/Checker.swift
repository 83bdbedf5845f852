/// Placeholder until the checker lands.
enum CheckerPlaceholder {}
