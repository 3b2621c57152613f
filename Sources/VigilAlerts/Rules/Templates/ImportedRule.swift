import Crypto
import Foundation
import VigilJSON

/// A rule read from a template or a Terraform state, in Vigil's terms, before it is checked as
/// every rule is: it is written as a Vigil rule object and decoded by `RuleDecoder`, so that an
/// imported rule meets exactly the checks (and messages) of a rule file.
struct ImportedRule {
    var name: String
    var description: String?
    var state: String?
    /// The pattern's JSON text: an object, or a JSON string holding the pattern's text (as the
    /// AWS APIs and Terraform carry it).
    var eventPattern: [UInt8]
    /// An EventBridge `InputTransformer` object's JSON text.
    var inputTransformer: [UInt8]?
    var logicalId: String?
    var importedTargets: [String] = []
    /// Where the rule is in its file.
    var line: Int

    /// Checks the rule and appends it (or its problems) to `result`; `source` names the kind of
    /// file for messages ("CloudFormation template").
    func decode(file: String, source: String, into result: inout RuleLoader.Result) {
        var object: [UInt8] = Array("{\"name\":".utf8)
        object.append(contentsOf: JSONText.quoted(name).utf8)
        if let description {
            object.append(utf8: ",\"description\":")
            object.append(contentsOf: JSONText.quoted(description).utf8)
        }
        if let state {
            object.append(utf8: ",\"state\":")
            object.append(contentsOf: JSONText.quoted(state).utf8)
        }
        object.append(utf8: ",\"eventPattern\":")
        object.append(contentsOf: eventPattern)
        if let inputTransformer {
            object.append(utf8: ",\"inputTransformer\":")
            object.append(contentsOf: inputTransformer)
        }
        object.append(UInt8(ascii: "}"))
        let before = result.rules.count
        object.withUnsafeBytes { bytes in
            var decoder = RuleDecoder(document: RuleDocument(file: file, bytes: bytes), range: 0..<bytes.count,
                                      label: logicalId, spelling: .imported(source))
            decoder.location = (line, 1)
            decoder.decode(into: &result)
        }
        if result.rules.count > before {
            result.rules[before].logicalId = logicalId
            result.rules[before].importedTargets = importedTargets
        }
    }

    /// The name of a rule whose template gives none: `STEM.ID` (the template's file stem and the
    /// rule's logical id or Terraform address), so that rules from many templates load together.
    /// Within EventBridge's 64 characters: when `STEM.ID` is longer (a 42-character stem and a
    /// 24-character logical id are common in aws-samples), the stem is cut and 8 hex digits of its
    /// SHA-256 keep stems that share a beginning apart; the id is kept whole while it fits, as it
    /// is what a person recognises (when even it does not, the whole name is cut and hashed).
    static func fallbackName(stem: String, id: String) -> String {
        let whole = nameCharacters("\(stem).\(id)")
        let limit = 64
        guard whole.utf8.count > limit else { return whole }
        let id = nameCharacters(id)
        let stemRoom = limit - 1 - id.utf8.count - 9 // ".", and "-" with 8 hex digits
        if stemRoom >= 1 {
            return "\(stem.prefix(stemRoom))-\(shortHash(stem)).\(id)"
        }
        return "\(whole.prefix(limit - 9))-\(shortHash(whole))"
    }

    /// The first 8 hex digits of the text's SHA-256.
    private static func shortHash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(4).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// A name made of EventBridge's rule-name characters: others become `-`.
    static func nameCharacters(_ text: String) -> String {
        String(text.map { character in
            character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character)) ? character : "-"
        })
    }
}
