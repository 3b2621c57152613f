import VigilLayout

/// One field of a database log line: where it lies in the line, and how its text is quoted there.
public struct DatabaseAuditField: Sendable, Equatable {
    /// How the field's text is written in the line; the writer undoes it.
    public enum Quoting: Sendable, Equatable {
        /// As it is.
        case none
        /// Inside single quotes, with backslash escapes (`\'`, `\\`, `\n`, …): a MySQL audit object.
        case backslash
        /// Inside CSV double quotes (`""` for `"`): a pgaudit field.
        case csv
    }

    /// The text, without the quotes around it.
    public var range: Range<Int>
    public var quoting: Quoting

    public init(_ range: Range<Int>, quoting: Quoting = .none) {
        self.range = range
        self.quoting = quoting
    }
}

/// What a database log line says, as ranges into the line: nothing is copied or allocated, so a
/// line costs only the scan (see `DatabaseAuditLine.parse`).
public struct DatabaseAuditFields: Sendable, Equatable {
    public enum Engine: String, Sendable {
        case mysql, postgres
    }

    /// What kind of line it is.
    public enum Shape: Sendable, Equatable {
        /// A MySQL-family audit line (Aurora MySQL advanced auditing, the MariaDB/MySQL audit plugin).
        case mysqlAudit
        /// A pgaudit `AUDIT:` entry.
        case pgaudit
        /// `connection received: host=… port=…`: a client reached the server, not yet authenticated.
        case connectionReceived
        /// `connection authorized: user=… database=…`.
        case connectionAuthorized
        /// `disconnection: session time: …`.
        case disconnection
        /// A `FATAL:` line saying why a client could not connect (authentication failed, no
        /// pg_hba.conf entry, no such role or database).
        case failedConnection
        /// Any other PostgreSQL message: an event with the prefix's fields and `message` only.
        case otherPostgres
    }

    /// The command PostgreSQL's connection lines stand for, in the MySQL audit log's words.
    public enum ConnectionCommand: String, Sendable {
        case connect = "CONNECT", disconnect = "DISCONNECT", failedConnect = "FAILED_CONNECT"
    }

    public var engine: Engine = .mysql
    public var shape: Shape = .otherPostgres
    /// The log time, in whole seconds since 1970 (UTC).
    public var seconds: Int64 = 0
    /// The digits of the log time's fraction of a second, when it has one (microseconds for
    /// Aurora, milliseconds for PostgreSQL's `%m`).
    public var fraction: Range<Int>?
    /// When the MySQL timestamp is an epoch number, its fraction digits are computed, not in the line.
    public var epochMicroseconds: Int?
    public var serverHost: DatabaseAuditField?
    public var dbUserName: DatabaseAuditField?
    public var remoteHost: DatabaseAuditField?
    /// Digits only.
    public var remotePort: Range<Int>?
    public var databaseName: DatabaseAuditField?
    public var sessionID: DatabaseAuditField?
    /// Digits only.
    public var statementID: Range<Int>?
    /// Digits only.
    public var substatementID: Range<Int>?
    public var auditClass: DatabaseAuditField?
    /// The command as the line writes it (a MySQL operation, pgaudit's command).
    public var command: DatabaseAuditField?
    /// The command a PostgreSQL connection line stands for.
    public var connectionCommand: ConnectionCommand?
    public var commandText: DatabaseAuditField?
    public var objectType: DatabaseAuditField?
    /// A MySQL table event's object type, which the line does not write.
    public var objectTypeIsTable = false
    public var objectName: DatabaseAuditField?
    /// Digits, with an optional leading `-`.
    public var exitCode: Range<Int>?
    public var errorMessage: DatabaseAuditField?
    /// The line as written, without a CloudWatch Logs export's timestamp.
    public var message: Range<Int> = 0..<0
    /// A PostgreSQL line continues on the following lines (each begins with a tab).
    public var isMultiLine = false

    public init() {}
}

/// Reads one line of a database's audit or connection log — a MySQL-family audit line or a
/// PostgreSQL line with RDS's `log_line_prefix` — into `DatabaseAuditFields`.
///
/// It takes any bytes and never traps (a fuzz target can call it directly): what fits no known
/// shape is a `Failure` whose description says why. The forms, as AWS and the projects document them:
///
/// - MySQL family: `timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`
///   (MariaDB's audit plugin; Aurora MySQL advanced auditing). The timestamp is Aurora's microseconds
///   since 1970 (`1653053459680124`) or the plugin's `YYYYMMDD HH:MM:SS`, taken as UTC (RDS runs in
///   UTC). The object is a query in single quotes, with `\'` and other backslash escapes and commas
///   inside, or a table name. `host` may carry `:port` (MariaDB 12). Fields after `retcode`, which
///   some versions add, are ignored.
/// - PostgreSQL with RDS's prefix `%t:%r:%u@%d:[%p]:` (`2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  …`;
///   `%m`'s milliseconds accepted), then the severity and the message: pgaudit's
///   `AUDIT: SESSION|OBJECT,statement,substatement,class,command,objectType,objectName,statement,parameter`
///   (CSV), the connection lines, failed connections, and anything else as an `otherPostgres` line.
///   A statement that spans lines continues on lines that begin with a tab: the reader hands them
///   in with the line they continue.
/// - Either one after a CloudWatch Logs export's `2026-11-20T09:41:02.000Z ` (skipped; the line's
///   own time is the event's).
public enum DatabaseAuditLine {
    /// Why a line fits no known shape.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Whether `line` looks like the start of a database log, for the format recognizer: a MySQL
    /// audit line that parses, or a PostgreSQL line whose prefix and severity do (its message may
    /// go on over the lines that follow, such as a quoted statement).
    public static func recognizes(_ line: UnsafeRawBufferPointer) -> Bool {
        var fields = DatabaseAuditFields()
        return (try? parse(line, into: &fields, prefixOnly: true)) != nil
    }

    /// Reads `line` (without its terminator; a trailing `\r` is ignored) into `fields`.
    public static func parse(_ line: UnsafeRawBufferPointer, into fields: inout DatabaseAuditFields) throws(Failure) {
        try parse(line, into: &fields, prefixOnly: false)
    }

    /// `prefixOnly`: a PostgreSQL line's message is not read (see `recognizes`).
    static func parse(_ line: UnsafeRawBufferPointer, into fields: inout DatabaseAuditFields,
                      prefixOnly: Bool) throws(Failure) {
        fields = DatabaseAuditFields()
        var end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }
        var start = 0
        if let afterExportTime = exportTimestampEnd(line, end: end) { start = afterExportTime }
        fields.message = start..<end
        guard start < end else { throw Failure("an empty line") }
        // `YYYY-MM-DD ` starts a PostgreSQL line; digits then `,` or `YYYYMMDD ` a MySQL one.
        if end - start >= 11, line[start + 4] == UInt8(ascii: "-"), line[start + 10] == UInt8(ascii: " ") {
            try parsePostgres(line, from: start, end: end, into: &fields, prefixOnly: prefixOnly)
        } else if isDigit(line[start]) {
            try parseMySQL(line, from: start, end: end, into: &fields)
        } else {
            throw Failure("not a MySQL audit line or a PostgreSQL line with RDS's prefix (it starts with neither a date nor a timestamp)")
        }
    }

    // MARK: - CloudWatch Logs export

    /// After `2026-11-20T09:41:02.000Z ` at the start of a line, where the message starts.
    static func exportTimestampEnd(_ line: UnsafeRawBufferPointer, end: Int) -> Int? {
        guard end >= 21, line[4] == UInt8(ascii: "-"), line[10] == UInt8(ascii: "T"), line[13] == UInt8(ascii: ":") else {
            return nil
        }
        var index = 19
        if line[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, isDigit(line[index]) { index += 1 }
        }
        guard index + 1 < end, line[index] == UInt8(ascii: "Z"), line[index + 1] == UInt8(ascii: " "),
              digits(line, 0..<4) != nil, digits(line, 11..<13) != nil else { return nil }
        return index + 2
    }

    // MARK: - MySQL family

    private static func parseMySQL(_ line: UnsafeRawBufferPointer, from start: Int, end: Int,
                                   into fields: inout DatabaseAuditFields) throws(Failure) {
        fields.engine = .mysql
        fields.shape = .mysqlAudit
        // The first eight fields hold no commas; the object may, and is read on its own.
        var ranges: (Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>, Range<Int>)
            = (0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0, 0..<0)
        var position = start
        for index in 0..<8 {
            guard let comma = find(UInt8(ascii: ","), in: line, from: position, end: end) else {
                throw Failure("a MySQL audit line has 10 comma-separated fields; this one has \(index + 1)")
            }
            let range = position..<comma
            switch index {
            case 0: ranges.0 = range
            case 1: ranges.1 = range
            case 2: ranges.2 = range
            case 3: ranges.3 = range
            case 4: ranges.4 = range
            case 5: ranges.5 = range
            case 6: ranges.6 = range
            default: ranges.7 = range
            }
            position = comma + 1
        }
        try readMySQLTimestamp(line, ranges.0, into: &fields)
        fields.serverHost = present(ranges.1)
        fields.dbUserName = present(ranges.2)
        readMySQLHost(line, ranges.3, into: &fields)
        guard digits(line, ranges.4) != nil || ranges.4.isEmpty else {
            throw Failure("the connection id is not a number: \(shown(line, ranges.4))")
        }
        fields.sessionID = present(ranges.4)
        guard digits(line, ranges.5) != nil || ranges.5.isEmpty else {
            throw Failure("the query id is not a number: \(shown(line, ranges.5))")
        }
        fields.statementID = ranges.5.isEmpty ? nil : ranges.5
        guard !ranges.6.isEmpty, ranges.6.allSatisfy({ isUpper(line[$0]) || line[$0] == UInt8(ascii: "_") }) else {
            throw Failure("the operation is not an audit operation (CONNECT, QUERY, READ, …): \(shown(line, ranges.6))")
        }
        fields.command = DatabaseAuditField(ranges.6)
        fields.databaseName = present(ranges.7)

        // The object: a quoted query (commas and escaped quotes inside), a table name, or nothing.
        var object: DatabaseAuditField?
        if position < end, line[position] == UInt8(ascii: "'") {
            var index = position + 1
            var closing: Int?
            while index < end {
                let byte = line[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "'") {
                    closing = index
                    break
                }
                index += 1
            }
            guard let closing else { throw Failure("the quoted object (the query) has no closing quote: the line is cut or badly quoted") }
            object = DatabaseAuditField((position + 1)..<closing, quoting: .backslash)
            position = closing + 1
            guard position < end, line[position] == UInt8(ascii: ",") else {
                throw Failure("the quoted object (the query) is not followed by a comma and the return code")
            }
            position += 1
        } else {
            guard let comma = find(UInt8(ascii: ","), in: line, from: position, end: end) else {
                throw Failure("a MySQL audit line has 10 comma-separated fields; this one has 9")
            }
            if comma > position { object = DatabaseAuditField(position..<comma) }
            position = comma + 1
        }
        let retcodeEnd = find(UInt8(ascii: ","), in: line, from: position, end: end) ?? end
        let retcode = position..<retcodeEnd
        var digitsStart = retcode.lowerBound
        if digitsStart < retcode.upperBound, line[digitsStart] == UInt8(ascii: "-") { digitsStart += 1 }
        guard digits(line, digitsStart..<retcode.upperBound) != nil else {
            throw Failure("the return code is not a number: \(shown(line, retcode))")
        }
        fields.exitCode = retcode
        if let object {
            if object.quoting == .backslash {
                fields.commandText = object
            } else {
                fields.objectName = object
                fields.objectTypeIsTable = isTableOperation(line, ranges.6)
            }
        }
    }

    /// `1653053459680124` (microseconds since 1970; Aurora), or `20261120 09:26:01` (the plugin), as UTC.
    private static func readMySQLTimestamp(_ line: UnsafeRawBufferPointer, _ range: Range<Int>,
                                           into fields: inout DatabaseAuditFields) throws(Failure) {
        if let value = digits(line, range) {
            // Seconds, milliseconds, microseconds or nanoseconds since 1970, told by the digit count.
            switch range.count {
            case 10: fields.seconds = Int64(value)
            case 13:
                fields.seconds = Int64(value / 1_000)
                fields.epochMicroseconds = value % 1_000 * 1_000
            case 16:
                fields.seconds = Int64(value / 1_000_000)
                fields.epochMicroseconds = value % 1_000_000
            case 19:
                fields.seconds = Int64(value / 1_000_000_000)
                fields.epochMicroseconds = value % 1_000_000_000 / 1_000
            default:
                throw Failure("the timestamp is not a time: \(shown(line, range)) (seconds, milliseconds or microseconds since 1970 expected)")
            }
            return
        }
        let start = range.lowerBound
        guard range.count == 17, line[start + 8] == UInt8(ascii: " "), line[start + 11] == UInt8(ascii: ":"),
              line[start + 14] == UInt8(ascii: ":"), let year = digits(line, start..<(start + 4)),
              let month = digits(line, (start + 4)..<(start + 6)), let day = digits(line, (start + 6)..<(start + 8)),
              let hour = digits(line, (start + 9)..<(start + 11)), let minute = digits(line, (start + 12)..<(start + 14)),
              let second = digits(line, (start + 15)..<(start + 17)),
              let seconds = secondsSince1970(year, month, day, hour, minute, second) else {
            throw Failure("the timestamp is not a time: \(shown(line, range)) (YYYYMMDD HH:MM:SS or microseconds since 1970 expected)")
        }
        fields.seconds = seconds
    }

    /// `10.0.0.5`, or `10.0.0.5:53422` (MariaDB 12 adds the port); an IPv6 address keeps its colons.
    private static func readMySQLHost(_ line: UnsafeRawBufferPointer, _ range: Range<Int>,
                                      into fields: inout DatabaseAuditFields) {
        guard !range.isEmpty else { return }
        var colons = 0
        var lastColon = range.lowerBound
        for index in range where line[index] == UInt8(ascii: ":") {
            colons += 1
            lastColon = index
        }
        if colons == 1, digits(line, (lastColon + 1)..<range.upperBound) != nil {
            fields.remoteHost = present(range.lowerBound..<lastColon)
            fields.remotePort = (lastColon + 1)..<range.upperBound
        } else {
            fields.remoteHost = DatabaseAuditField(range)
        }
    }

    /// READ, WRITE, CREATE, ALTER, RENAME, DROP: table events, whose object is a table.
    private static func isTableOperation(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        equals(line, range, "READ") || equals(line, range, "WRITE") || equals(line, range, "CREATE")
            || equals(line, range, "ALTER") || equals(line, range, "RENAME") || equals(line, range, "DROP")
    }

    // MARK: - PostgreSQL

    private static func parsePostgres(_ line: UnsafeRawBufferPointer, from start: Int, end: Int,
                                      into fields: inout DatabaseAuditFields, prefixOnly: Bool) throws(Failure) {
        fields.engine = .postgres
        // %t (or %m): `2026-11-20 09:41:02[.123] UTC:`
        guard end - start >= 20, line[start + 7] == UInt8(ascii: "-"), line[start + 13] == UInt8(ascii: ":"),
              line[start + 16] == UInt8(ascii: ":"), let year = digits(line, start..<(start + 4)),
              let month = digits(line, (start + 5)..<(start + 7)), let day = digits(line, (start + 8)..<(start + 10)),
              let hour = digits(line, (start + 11)..<(start + 13)), let minute = digits(line, (start + 14)..<(start + 16)),
              let second = digits(line, (start + 17)..<(start + 19)),
              let seconds = secondsSince1970(year, month, day, hour, minute, second) else {
            throw Failure("the line's time is not a date and time: \(shown(line, start..<min(end, start + 23)))")
        }
        var position = start + 19
        if position < end, line[position] == UInt8(ascii: ".") {
            let digitsStart = position + 1
            position = digitsStart
            while position < end, isDigit(line[position]) { position += 1 }
            if position > digitsStart { fields.fraction = digitsStart..<position }
        }
        guard position < end, line[position] == UInt8(ascii: " ") else {
            throw Failure("the line's time has no time zone (RDS's prefix %t:%r:%u@%d:[%p]: expected)")
        }
        position += 1
        let zoneStart = position
        guard let zoneEnd = find(UInt8(ascii: ":"), in: line, from: position, end: end) else {
            throw Failure("not RDS's PostgreSQL prefix %t:%r:%u@%d:[%p]: (no colon after the time)")
        }
        guard let offset = zoneOffset(line, zoneStart..<zoneEnd) else {
            throw Failure("the time zone \(shown(line, zoneStart..<zoneEnd)) is not UTC or a numeric offset: the time cannot be placed")
        }
        fields.seconds = seconds - Int64(offset)
        position = zoneEnd + 1

        // `%r:%u@%d` up to `:[%p]:`. The remote host may be IPv6 (colons) and is split from the
        // user at the last colon before the first `@`.
        guard let pidMarker = findPIDMarker(line, from: position, end: end) else {
            throw Failure("not RDS's PostgreSQL prefix %t:%r:%u@%d:[%p]: (no :[pid]: after the time)")
        }
        let middle = position..<pidMarker.colon
        guard let at = find(UInt8(ascii: "@"), in: line, from: middle.lowerBound, end: middle.upperBound) else {
            throw Failure("not RDS's PostgreSQL prefix %t:%r:%u@%d:[%p]: (no user@database)")
        }
        var userStart = middle.lowerBound
        var index = at
        while index > middle.lowerBound {
            index -= 1
            if line[index] == UInt8(ascii: ":") {
                userStart = index + 1
                readPostgresRemote(line, middle.lowerBound..<index, into: &fields)
                break
            }
        }
        guard userStart > middle.lowerBound else {
            throw Failure("not RDS's PostgreSQL prefix %t:%r:%u@%d:[%p]: (no remote host field)")
        }
        fields.dbUserName = known(line, userStart..<at)
        fields.databaseName = known(line, (at + 1)..<middle.upperBound)
        fields.sessionID = DatabaseAuditField(pidMarker.pid)
        position = pidMarker.pid.upperBound + 2

        // The severity (`LOG`, `FATAL`, …), then the message after two spaces.
        let severityStart = position
        while position < end, isUpper(line[position]) || isDigit(line[position]) { position += 1 }
        guard position > severityStart, position < end, line[position] == UInt8(ascii: ":") else {
            throw Failure("no severity (LOG:, FATAL:, …) after RDS's PostgreSQL prefix")
        }
        let severity = severityStart..<position
        position += 1
        while position < end, line[position] == UInt8(ascii: " ") { position += 1 }
        let text = position..<end
        if prefixOnly { return }
        fields.isMultiLine = find(0x0A, in: line, from: position, end: end) != nil
        try classifyPostgresMessage(line, text, severity: severity, into: &fields)
    }

    /// `203.0.113.50(53422)`, `[local]`, or nothing (a background process).
    private static func readPostgresRemote(_ line: UnsafeRawBufferPointer, _ range: Range<Int>,
                                           into fields: inout DatabaseAuditFields) {
        guard !range.isEmpty else { return }
        if line[range.upperBound - 1] == UInt8(ascii: ")"),
           let open = lastIndex(of: UInt8(ascii: "("), in: line, range),
           digits(line, (open + 1)..<(range.upperBound - 1)) != nil {
            fields.remoteHost = present(range.lowerBound..<open)
            fields.remotePort = (open + 1)..<(range.upperBound - 1)
        } else {
            fields.remoteHost = DatabaseAuditField(range)
        }
    }

    private static func classifyPostgresMessage(_ line: UnsafeRawBufferPointer, _ text: Range<Int>, severity: Range<Int>,
                                                into fields: inout DatabaseAuditFields) throws(Failure) {
        if startsWith(line, text, "AUDIT: ") {
            try readPGAudit(line, (text.lowerBound + 7)..<text.upperBound, into: &fields)
            return
        }
        if startsWith(line, text, "connection received: ") {
            fields.shape = .connectionReceived
        } else if startsWith(line, text, "connection authorized: ") {
            fields.shape = .connectionAuthorized
            fields.connectionCommand = .connect
        } else if startsWith(line, text, "disconnection: ") {
            fields.shape = .disconnection
            fields.connectionCommand = .disconnect
        } else if equals(line, severity, "FATAL"), isFailedConnection(line, text) {
            fields.shape = .failedConnection
            fields.connectionCommand = .failedConnect
            fields.errorMessage = DatabaseAuditField(text)
        } else {
            fields.shape = .otherPostgres
        }
    }

    /// The FATAL messages of a client that could not connect, as PostgreSQL words them.
    private static func isFailedConnection(_ line: UnsafeRawBufferPointer, _ text: Range<Int>) -> Bool {
        // `password authentication failed for user "…"`, and PAM, ident, peer, LDAP, RADIUS, cert, SCRAM …
        if contains(line, text, "authentication failed for user") { return true }
        if startsWith(line, text, "no pg_hba.conf entry for") || startsWith(line, text, "pg_hba.conf rejects connection") {
            return true
        }
        // `role "x" does not exist`, `database "x" does not exist`
        if startsWith(line, text, "role \"") || startsWith(line, text, "database \"") {
            return contains(line, text, "\" does not exist")
        }
        // `permission denied for database "x"` (no CONNECT privilege), `role "x" is not permitted to log in`
        return startsWith(line, text, "permission denied for database") || contains(line, text, "is not permitted to log in")
    }

    /// `SESSION,1,1,READ,SELECT,TABLE,public.cards,"select …",<not logged>`: pgaudit's CSV.
    private static func readPGAudit(_ line: UnsafeRawBufferPointer, _ range: Range<Int>,
                                    into fields: inout DatabaseAuditFields) throws(Failure) {
        fields.shape = .pgaudit
        var position = range.lowerBound
        var index = 0
        while index < 9 {
            let field: DatabaseAuditField
            if position < range.upperBound, line[position] == UInt8(ascii: "\"") {
                var cursor = position + 1
                var closing: Int?
                while cursor < range.upperBound {
                    if line[cursor] == UInt8(ascii: "\"") {
                        if cursor + 1 < range.upperBound, line[cursor + 1] == UInt8(ascii: "\"") {
                            cursor += 2
                            continue
                        }
                        closing = cursor
                        break
                    }
                    cursor += 1
                }
                guard let closing else { throw Failure("pgaudit field \(index + 1) has no closing quote: the line is cut or badly quoted") }
                field = DatabaseAuditField((position + 1)..<closing, quoting: .csv)
                position = closing + 1
                guard position == range.upperBound || line[position] == UInt8(ascii: ",") else {
                    throw Failure("pgaudit field \(index + 1) has text after its closing quote")
                }
            } else {
                let comma = find(UInt8(ascii: ","), in: line, from: position, end: range.upperBound) ?? range.upperBound
                field = DatabaseAuditField(position..<comma)
                position = comma
            }
            switch index {
            case 0:
                guard field.quoting == .none, equals(line, field.range, "SESSION") || equals(line, field.range, "OBJECT") else {
                    throw Failure("a pgaudit entry starts with SESSION or OBJECT, not \(shown(line, field.range))")
                }
            case 1:
                guard field.quoting == .none, digits(line, field.range) != nil else {
                    throw Failure("pgaudit's statement id is not a number: \(shown(line, field.range))")
                }
                fields.statementID = field.range
            case 2:
                guard field.quoting == .none, digits(line, field.range) != nil else {
                    throw Failure("pgaudit's substatement id is not a number: \(shown(line, field.range))")
                }
                fields.substatementID = field.range
            case 3: fields.auditClass = nonEmpty(field)
            case 4: fields.command = nonEmpty(field)
            case 5: fields.objectType = nonEmpty(field)
            case 6: fields.objectName = nonEmpty(field)
            case 7: fields.commandText = nonEmpty(field)
            default: break  // the parameters (`<not logged>`, `<none>` or CSV): not a field of the event
            }
            index += 1
            if position >= range.upperBound { break }
            position += 1  // past the comma
        }
        // Older pgaudit versions write no parameter field; fewer than 8 is not pgaudit.
        guard index >= 8 else { throw Failure("a pgaudit entry has 8 or 9 fields; this one has \(index)") }
    }

    // MARK: - Helpers

    /// Finds `:[digits]:` from `start`: the pid of RDS's prefix. Returns where its colon is and the digits.
    private static func findPIDMarker(_ line: UnsafeRawBufferPointer, from start: Int, end: Int)
        -> (colon: Int, pid: Range<Int>)? {
        var position = start
        while let colon = find(UInt8(ascii: ":"), in: line, from: position, end: end) {
            var index = colon + 1
            if index < end, line[index] == UInt8(ascii: "[") {
                index += 1
                let digitsStart = index
                while index < end, isDigit(line[index]) { index += 1 }
                if index > digitsStart, index + 1 < end, line[index] == UInt8(ascii: "]"), line[index + 1] == UInt8(ascii: ":") {
                    return (colon, digitsStart..<index)
                }
            }
            position = colon + 1
        }
        return nil
    }

    /// Seconds east of UTC for `UTC`, `GMT`, `Z`, `+01`, `-0530`, `+05:30`; nil for a zone name
    /// that needs a time zone database (`CET`, `EST`): RDS logs in UTC unless told otherwise.
    private static func zoneOffset(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        if equals(line, range, "UTC") || equals(line, range, "GMT") || equals(line, range, "Z") { return 0 }
        guard range.count >= 3, line[range.lowerBound] == UInt8(ascii: "+") || line[range.lowerBound] == UInt8(ascii: "-"),
              let hours = digits(line, (range.lowerBound + 1)..<(range.lowerBound + 3)), hours < 24 else { return nil }
        var minutes = 0
        if range.count == 5, let value = digits(line, (range.lowerBound + 3)..<range.upperBound), value < 60 {
            minutes = value
        } else if range.count != 3 {
            return nil
        }
        let sign = line[range.lowerBound] == UInt8(ascii: "-") ? -1 : 1
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func secondsSince1970(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int,
                                         _ second: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = Int64(CalendarDay.ordinal(year: year, month: month, day: day))
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The value of a run of 1 to 18 ASCII digits; nil for anything else.
    static func digits(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18, range.upperBound <= line.count else { return nil }
        var value = 0
        for index in range {
            let byte = line[index]
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func present(_ range: Range<Int>) -> DatabaseAuditField? {
        range.isEmpty ? nil : DatabaseAuditField(range)
    }

    private static func nonEmpty(_ field: DatabaseAuditField) -> DatabaseAuditField? {
        field.range.isEmpty ? nil : field
    }

    /// A prefix's user or database, unless empty or `[unknown]` (not yet known when the line was written).
    private static func known(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> DatabaseAuditField? {
        range.isEmpty || equals(line, range, "[unknown]") ? nil : DatabaseAuditField(range)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    @inline(__always)
    private static func isUpper(_ byte: UInt8) -> Bool { byte >= 65 && byte <= 90 }

    private static func find(_ byte: UInt8, in line: UnsafeRawBufferPointer, from start: Int, end: Int) -> Int? {
        var index = start
        while index < end {
            if line[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private static func lastIndex(of byte: UInt8, in line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            if line[index] == byte { return index }
        }
        return nil
    }

    static func equals(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        return startsWith(line, range, text)
    }

    static func startsWith(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard range.count >= count else { return false }
        let pointer = text.utf8Start
        for offset in 0..<count where line[range.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    private static func contains(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard range.count >= count else { return false }
        var start = range.lowerBound
        while start + count <= range.upperBound {
            if startsWith(line, start..<range.upperBound, text) { return true }
            start += 1
        }
        return false
    }

    /// A field's text for a message: quoted, at most 40 bytes, control characters and invalid UTF-8 replaced.
    static func shown(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        let clipped = range.lowerBound..<min(range.upperBound, range.lowerBound + 40)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[clipped]), as: UTF8.self)
        let visible = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        return "\"" + visible + "\"" + (clipped.count < range.count ? "…" : "")
    }
}
