/// Placeholder until reports land.
enum ReportPlaceholder {}
