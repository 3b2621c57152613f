/// A dedup or threshold window's key (`Alerter`'s joined key values) as the windows' tables hold
/// it: its bytes hashed at once. `[UInt8]`'s own hashing feeds the hasher a byte at a time, 730
/// instructions a key for a flow rule's addresses and ports, with its tables' rehashing on
/// every sweep 2 % of a flow replay (callgrind).
struct WindowKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
