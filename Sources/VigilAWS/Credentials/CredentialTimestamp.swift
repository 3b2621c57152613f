import Foundation

/// The expiration times of temporary credentials as STS, the container endpoint and instance
/// metadata write them: ISO 8601, in UTC or with an offset, with or without fractional seconds
/// (`2026-11-23T20:58:20Z`, moto's `2026-11-23T20:58:20.198962Z`).
enum CredentialTimestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return date }
        return try? Date.ISO8601FormatStyle().parse(trimmed)
    }
}
