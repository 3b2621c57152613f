import Foundation

/// The INI files the AWS CLI and SDKs share: `~/.aws/credentials` (sections named after the
/// profile) and `~/.aws/config` (sections `[default]` and `[profile NAME]`).
///
/// Keys are read as the SDKs read them: `key = value` lines, names case-sensitive and trimmed,
/// `#` and `;` comment lines, indented lines continuing a nested block (an `s3 =` section of
/// settings, which is skipped here).
struct SharedConfigFile {
    /// The settings of each profile, by profile name.
    private(set) var profiles: [String: [String: String]] = [:]

    /// Parses `text`; `isConfig` for the config file, whose sections other than `default` are
    /// `[profile NAME]`.
    init(text: String, isConfig: Bool) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let isIndented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if isConfig {
                    if name == "default" {
                        current = name
                    } else if name.hasPrefix("profile ") {
                        current = name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
                    } else {
                        current = nil  // [sso-session x], [services x]: not profiles
                    }
                } else {
                    current = name
                }
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let profile = current, !isIndented, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            profiles[profile, default: [:]][key] = value
        }
    }

    func settings(of profile: String) -> [String: String]? {
        profiles[profile]
    }
}
