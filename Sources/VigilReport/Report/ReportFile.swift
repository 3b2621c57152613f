import Foundation

/// Writes a report to a file, HTML or Markdown by the name's extension (`.md`, `.markdown`:
/// Markdown; anything else: HTML).
public enum ReportFile {
    public static func isMarkdown(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".md") || lower.hasSuffix(".markdown")
    }

    /// Renders and writes the report; throws with the reason when the file cannot be written.
    public static func write(_ builder: ReportBuilder, facts: ReportRunFacts?, inputs: [String], to path: String) throws {
        let text = isMarkdown(path)
            ? MarkdownReportWriter(builder: builder, facts: facts, inputs: inputs).render()
            : HTMLReportWriter(builder: builder, facts: facts, inputs: inputs).render()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
