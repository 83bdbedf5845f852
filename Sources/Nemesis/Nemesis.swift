/// Placeholder until the nemeses land.
enum NemesisPlaceholder {}
