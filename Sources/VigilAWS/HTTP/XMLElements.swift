/// The few pieces of S3's XML answers Vigil reads, found by element name.
///
/// S3's list answers are flat and regular (no attributes on the elements read, no CDATA, no
/// comments), so a scan for `<Name>…</Name>` reads them exactly without an XML library; text is
/// unescaped (`&amp;`, numeric references) as XML requires.
struct XMLElements {
    private let text: Substring

    init(_ bytes: [UInt8]) {
        text = Substring(String(decoding: bytes, as: UTF8.self))
    }

    private init(_ text: Substring) {
        self.text = text
    }

    /// The contents of every `<name>` element at any depth, in order (not nested in one another).
    func all(_ name: String) -> [XMLElements] {
        var found: [XMLElements] = []
        let open = "<\(name)>", close = "</\(name)>"
        var rest = text
        while let start = rest.range(of: open) {
            guard let end = rest[start.upperBound...].range(of: close) else { break }
            found.append(XMLElements(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// The unescaped text of the first `<name>` element.
    func text(_ name: String) -> String? {
        all(name).first.map { XMLText.unescape(String($0.text)) }
    }
}
