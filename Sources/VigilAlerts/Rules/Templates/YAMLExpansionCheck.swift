import CYaml

/// Measures how many values a YAML document expands to, from libyaml's events alone, before Yams
/// builds anything: an alias counts the values of what it names, so a "billion laughs" (nine
/// levels of ten aliases, 10⁹ values from a few hundred bytes) is found in time proportional to
/// the text, not to the expansion.
///
/// Yams composes aliases cheaply (they share storage), but it hashes mapping keys to find
/// duplicates, and a key that is an alias of a huge value hashes all of it: a template with
/// `? *bomb` kept `vigil rules validate` busy past 60 s. So an alias as a mapping key, which
/// CloudFormation never needs, is refused here too.
enum YAMLExpansionCheck {
    struct Refusal: Error {
        let line: Int
        let column: Int
        let reason: String
    }

    /// Throws when the document expands past `limit` values or uses an alias as a key; YAML
    /// syntax errors are left for the parser, which reports them with more words.
    static func check(_ text: String, limit: Int) throws(Refusal) {
        var utf8 = Array(text.utf8)
        if utf8.isEmpty { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        try utf8.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(Refusal) in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            try walk(&parser, limit: limit)
        }
    }

    private struct Frame {
        var size = 1
        let anchor: String?
        let isMapping: Bool
        /// In a mapping: whether the next child is a key.
        var expectingKey = true
    }

    private static func walk(_ parser: inout yaml_parser_t, limit: Int) throws(Refusal) {
        var anchors: [String: Int] = [:]
        var stack: [Frame] = []
        func add(_ size: Int, isAlias: Bool, line: Int, column: Int) throws(Refusal) {
            guard !stack.isEmpty else { return }  // the root: within the limit, or refused while building it
            if isAlias, stack[stack.count - 1].isMapping, stack[stack.count - 1].expectingKey {
                throw Refusal(line: line, column: column, reason: "An alias is used as a mapping key; CloudFormation templates have no use for it, and it can hide an expansion bomb")
            }
            if stack[stack.count - 1].isMapping { stack[stack.count - 1].expectingKey.toggle() }
            let grown = stack[stack.count - 1].size.addingReportingOverflow(size)
            stack[stack.count - 1].size = grown.overflow ? Int.max : min(grown.partialValue, limit + 1)
            if stack[stack.count - 1].size > limit {
                throw Refusal(line: line, column: column,
                              reason: "The YAML expands to more than \(limit) values (aliases repeating aliases, a \"billion laughs\"); refused")
            }
        }
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return
            case YAML_SCALAR_EVENT:
                if let anchor = string(event.data.scalar.anchor) { anchors[anchor] = 1 }
                try add(1, isAlias: false, line: line, column: column)
            case YAML_ALIAS_EVENT:
                let size = string(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                try add(size, isAlias: true, line: line, column: column)
            case YAML_SEQUENCE_START_EVENT:
                stack.append(Frame(anchor: string(event.data.sequence_start.anchor), isMapping: false))
            case YAML_MAPPING_START_EVENT:
                stack.append(Frame(anchor: string(event.data.mapping_start.anchor), isMapping: true))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return }
                if let anchor = frame.anchor { anchors[anchor] = frame.size }
                try add(frame.size, isAlias: false, line: line, column: column)
            default:
                continue
            }
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }
}
