/// Well-formed JSON text indented for reading, two spaces a level; strings are copied as written
/// (still JSON-escaped: a control character stays `\u001b`).
enum JSONPrettyPrinter {
    static func indented(_ json: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(json.count + json.count / 2)
        var depth = 0
        var index = json.startIndex
        let end = json.endIndex
        func newline() {
            output.append(0x0A)
            for _ in 0..<depth { output.append(0x20); output.append(0x20) }
        }
        while index < end {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < end, json[index] != UInt8(ascii: "\"") {
                    if json[index] == UInt8(ascii: "\\") { index += 1 }
                    index += 1
                }
                index = min(index + 1, end)
                output.append(contentsOf: json[start..<index])
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                output.append(byte)
                var next = index + 1
                while next < end, json[next] == 0x20 || json[next] == 0x0A || json[next] == 0x0D || json[next] == 0x09 { next += 1 }
                if next < end, json[next] == UInt8(ascii: "}") || json[next] == UInt8(ascii: "]") {
                    output.append(json[next])
                    index = next + 1
                    continue
                }
                depth += 1
                newline()
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth = max(0, depth - 1)
                newline()
                output.append(byte)
            case UInt8(ascii: ","):
                output.append(byte)
                newline()
            case UInt8(ascii: ":"):
                output.append(contentsOf: [byte, 0x20])
            case 0x20, 0x0A, 0x0D, 0x09:
                break
            default:
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
