import VigilJSON

// Reading an input transformer's template: which kind it is, where its placeholders are, and
// whether it is what EventBridge accepts (see `InputTransformer` for the rules).

extension InputTransformer {
    /// Cuts a template into literal pieces and placeholders, deciding its kind and checking it.
    struct TemplateParser {
        /// The template's UTF-8.
        let bytes: [UInt8]
        /// Variable names to their index in `variables`.
        let variables: [String: Int]

        func parse() throws(InputTransformerError) -> (TemplateKind, [Segment]) {
            let start = JSONBytes.skipWhitespaceIn(bytes)
            switch start < bytes.count ? bytes[start] : 0 {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                return (.json, try parseJSON())
            case UInt8(ascii: "\""):
                let segments: [Segment]
                do throws(InputTransformerError) {
                    segments = try parseJSON()
                } catch .invalidJSONTemplate(let reason, let position) {
                    throw .invalidJSONTemplate(
                        reason: "a template that starts with a quote must be one JSON string (write a quote inside it as \\\"): \(reason)",
                        position: position)
                }
                return (.string, stringSegments(segments))
            default:
                // A bare placeholder, a number or a literal is JSON; anything else is free text.
                if let segments = try? parseJSON() { return (.json, segments) }
                return (.text, try parseText())
            }
        }

        /// A JSON template: placeholders outside strings are values, inside strings text; whitespace
        /// outside strings is dropped. The template, with each value placeholder read as `0` and
        /// each string placeholder as nothing, must be valid JSON.
        private func parseJSON() throws(InputTransformerError) -> [Segment] {
            var segments: [Segment] = []
            var literal: [UInt8] = []
            var skeleton: [UInt8] = []
            // Where skeleton offsets and template offsets part, to place the validator's errors.
            var anchors: [(skeleton: Int, template: Int)] = [(0, 0)]
            var containers: [UInt8] = []
            var expectingKey = false
            var inString = false
            var stringIsKey = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "<"), let found = placeholder(at: index) {
                    let (name, end) = found
                    if inString ? stringIsKey : expectingKey {
                        throw .placeholderInKey(name: name, position: position(of: index))
                    }
                    let source = try resolve(name, at: index)
                    if !literal.isEmpty {
                        segments.append(.literal(literal))
                        literal = []
                    }
                    segments.append(.placeholder(source, inString ? .jsonString : .jsonValue))
                    if !inString { skeleton.append(UInt8(ascii: "0")) }
                    index = end
                    anchors.append((skeleton.count, index))
                    continue
                }
                skeleton.append(byte)
                if inString {
                    literal.append(byte)
                    if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        literal.append(bytes[index + 1])
                        skeleton.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    if byte == UInt8(ascii: "\"") { inString = false }
                    index += 1
                    continue
                }
                switch byte {
                case 0x20, 0x0A, 0x0D, 0x09:
                    index += 1
                    continue  // minified away, as EventBridge minifies its output
                case UInt8(ascii: "\""):
                    inString = true
                    stringIsKey = expectingKey
                    expectingKey = false
                case UInt8(ascii: "{"):
                    containers.append(byte)
                    expectingKey = true
                case UInt8(ascii: "["):
                    containers.append(byte)
                    expectingKey = false
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    _ = containers.popLast()
                    expectingKey = false
                case UInt8(ascii: ","):
                    expectingKey = containers.last == UInt8(ascii: "{")
                case UInt8(ascii: ":"):
                    expectingKey = false
                default:
                    break
                }
                literal.append(byte)
                index += 1
            }
            if !literal.isEmpty { segments.append(.literal(literal)) }
            do throws(EventError) {
                try JSONValidator.validate(skeleton)
            } catch {
                let anchor = anchors.last { $0.skeleton <= error.offset } ?? (0, 0)
                let offset = min(anchor.template + (error.offset - anchor.skeleton), bytes.count)
                throw .invalidJSONTemplate(reason: error.message, position: position(of: offset))
            }
            return segments
        }

        /// Free text: every `<name>` is a placeholder, everything else is copied.
        private func parseText() throws(InputTransformerError) -> [Segment] {
            var segments: [Segment] = []
            var literal: [UInt8] = []
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<"), let found = placeholder(at: index) {
                    let (name, end) = found
                    let source = try resolve(name, at: index)
                    if !literal.isEmpty {
                        segments.append(.literal(literal))
                        literal = []
                    }
                    segments.append(.placeholder(source, .text))
                    index = end
                } else {
                    literal.append(bytes[index])
                    index += 1
                }
            }
            if !literal.isEmpty { segments.append(.literal(literal)) }
            return segments
        }

        /// The segments of a JSON template that is one string, turned into text: the enclosing quotes
        /// dropped, escapes decoded, values written as text. Placeholders never split an escape (a
        /// `<` right after a backslash is not a placeholder), so each piece unescapes on its own.
        private func stringSegments(_ segments: [Segment]) -> [Segment] {
            var result: [Segment] = []
            for (index, segment) in segments.enumerated() {
                switch segment {
                case .literal(var bytes):
                    if index == 0, bytes.first == UInt8(ascii: "\"") { bytes.removeFirst() }
                    if index == segments.count - 1, bytes.last == UInt8(ascii: "\"") { bytes.removeLast() }
                    var text: [UInt8] = []
                    bytes.withUnsafeBytes { JSONString.unescape($0, into: &text) }
                    if !text.isEmpty { result.append(.literal(text)) }
                case .placeholder(let source, _):
                    result.append(.placeholder(source, .text))
                }
            }
            return result
        }

        /// The name and the end of `<name>` at `start`, when one is there. Names are those of
        /// variables (`[A-Za-z0-9_-]`) and of reserved variables (which add `.`).
        private func placeholder(at start: Int) -> (name: String, end: Int)? {
            var index = start + 1
            while index < bytes.count {
                let byte = bytes[index]
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                else { break }
                index += 1
            }
            guard index > start + 1, index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
            return (String(decoding: bytes[(start + 1)..<index], as: UTF8.self), index + 1)
        }

        private func resolve(_ name: String, at offset: Int) throws(InputTransformerError) -> Source {
            if let index = variables[name] { return .variable(index) }
            if let source = InputTransformer.reserved[name] { return source }
            if InputTransformer.unsupported.contains(name) {
                throw .unsupportedPlaceholder(name: name, position: position(of: offset))
            }
            throw .undefinedPlaceholder(name: name, position: position(of: offset))
        }

        /// The character of the template at byte `offset`, from 1.
        private func position(of offset: Int) -> Int {
            String(decoding: bytes[..<offset], as: UTF8.self).count + 1
        }
    }
}

extension JSONBytes {
    /// The offset of the first byte of `bytes` that is not JSON whitespace.
    fileprivate static func skipWhitespaceIn(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { skipWhitespace($0, from: 0) }
    }
}
