import Foundation
import Testing
@testable import VigilIngest
import VigilJSON

// Database audit logs (issue 17, point 2): MySQL-family audit lines and PostgreSQL lines with
// RDS's prefix, in every form they are delivered in (a downloaded log file, a CloudWatch Logs
// export to S3, CloudWatch Logs subscription payloads as base64 lines or as Firehose's S3 files
// of concatenated gzipped payloads), normalized into ARCHITECTURE.md's audit event; and damaged
// lines, each reported while the rest is read.
//
// Fixture lines follow the forms AWS and the projects document (see Tests/Fixtures/SOURCES.md,
// "Database audit lines"): the Aurora MySQL line is AWS re:Post's example
// (1653053459680124,c731-instance-1,admin,52.94.133.136,35,698024,WRITE,testdb,test2,0), the
// pgaudit entries follow pgaudit's README, the connection lines PostgreSQL's wording.

/// Reads an input and normalizes each record as it is visited (so a CloudWatch Logs event's id,
/// valid only during the visit, is used), keeping the written events and every problem.
private struct AuditCollector: RecordVisitor {
    var normalizer = EventNormalizer()
    let context: LogFileContext
    var events: [[String: Any]] = []
    var identities: [String] = []
    var problems: [InputProblem] = []
    var skips: [SkipReason] = []

    init(path: String) { context = LogFileContext(path: path) }

    mutating func visit(_ record: LogRecord) {
        do throws(InputProblem) {
            let envelope = try normalizer.normalize(record, context: context)
            var json: [UInt8] = []
            EnvelopeWriter.append(envelope, to: &json)
            do {
                try JSONValidator.validate(json)
            } catch {
                Issue.record("invalid envelope JSON (\(error)): \(String(decoding: json, as: UTF8.self))")
                return
            }
            events.append((try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] ?? [:])
            identities.append(String(decoding: envelope.identity, as: UTF8.self))
        } catch {
            problems.append(error)
        }
    }

    mutating func report(_ problem: InputProblem) { problems.append(problem) }
    mutating func skip(_ reason: SkipReason) { skips.append(reason) }

    var details: [[String: Any]] { events.map { $0["detail"] as? [String: Any] ?? [:] } }
}

private func readAudit(_ bytes: [UInt8], path: String = "input") -> AuditCollector {
    var collector = AuditCollector(path: path)
    LogFileReader(input: DecodedInput(bytes: bytes, name: path)).read(into: &collector)
    return collector
}

private func readAudit(_ text: String, path: String = "input") -> AuditCollector {
    readAudit(Array(text.utf8), path: path)
}

/// A CloudWatch Logs subscription payload from RDS.
private func rdsPayload(group: String, stream: String, owner: String = "111122223333",
                        messages: [(id: String, message: String)]) -> String {
    let events = messages.map { #"{"id":"\#($0.id)","timestamp":1763630761000,"message":\#(JSONText.quoted($0.message))}"# }
    return #"{"messageType":"DATA_MESSAGE","owner":"\#(owner)","logGroup":"\#(group)","logStream":"\#(stream)","#
        + #""subscriptionFilters":["to-firehose"],"logEvents":[\#(events.joined(separator: ","))]}"#
}

@Suite("Database audit: MySQL-family lines")
struct MySQLAuditLineTests {
    @Test("Aurora's microsecond timestamp and a table event (AWS re:Post's example)")
    func auroraTableEvent() throws {
        let result = readAudit("1653053459680124,c731-instance-1,admin,52.94.133.136,35,698024,WRITE,testdb,test2,0\n")
        #expect(result.problems.isEmpty)
        let event = try #require(result.events.first)
        #expect(event["source"] as? String == "aws.rds")
        #expect(event["detail-type"] as? String == "RDS Database Activity Event")
        #expect(event["time"] as? String == "2022-05-20T13:30:59Z")
        let detail = try #require(result.details.first)
        #expect(detail["logTime"] as? String == "2022-05-20T13:30:59.680124Z")
        #expect(detail["serverHost"] as? String == "c731-instance-1")
        #expect(detail["dbUserName"] as? String == "admin")
        #expect(detail["remoteHost"] as? String == "52.94.133.136")
        #expect(detail["sessionId"] as? String == "35")
        #expect(detail["statementId"] as? Int == 698024)
        #expect(detail["command"] as? String == "WRITE")
        #expect(detail["databaseName"] as? String == "testdb")
        #expect(detail["objectName"] as? String == "test2")
        #expect(detail["objectType"] as? String == "TABLE")
        #expect(detail["exitCode"] as? Int == 0)
        #expect(detail["engine"] as? String == "mysql")
        #expect(detail["commandText"] == nil)
        #expect(detail["message"] as? String == "1653053459680124,c731-instance-1,admin,52.94.133.136,35,698024,WRITE,testdb,test2,0")
    }

    @Test("The plugin's YYYYMMDD HH:MM:SS, a quoted query with \\' escapes and commas inside")
    func pluginQuery() throws {
        let line = #"20261120 09:26:14,ip-10-0-12-34,app,198.51.100.23,412,9001,QUERY,orders,'SELECT name, number FROM cards WHERE note = \'it\\\'s\', 1',0"#
        let result = readAudit(line + "\n")
        #expect(result.problems.isEmpty)
        let detail = try #require(result.details.first)
        #expect(detail["logTime"] as? String == "2026-11-20T09:26:14Z")
        #expect(detail["commandText"] as? String == #"SELECT name, number FROM cards WHERE note = 'it\'s', 1"#)
        #expect(detail["command"] as? String == "QUERY")
        #expect(detail["objectName"] == nil)
        #expect(detail["message"] as? String == line)
    }

    @Test("CONNECT and FAILED_CONNECT; MariaDB 12's host:port; fields after retcode ignored")
    func connections() throws {
        let result = readAudit("""
        20261120 09:25:50,ip-10-0-12-34,app,198.51.100.23,410,0,FAILED_CONNECT,,,1045
        20261120 09:26:03,ip-10-0-12-34,app,198.51.100.23:51234,411,0,CONNECT,orders,,0
        1763630763000000,ip-10-0-12-34,app,2001:db8::7,412,0,DISCONNECT,orders,,0,,

        """)
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 3)
        #expect(details[0]["command"] as? String == "FAILED_CONNECT")
        #expect(details[0]["exitCode"] as? Int == 1045)
        #expect(details[0]["databaseName"] == nil)
        #expect(details[1]["remoteHost"] as? String == "198.51.100.23")
        #expect(details[1]["remotePort"] as? Int == 51234)
        #expect(details[2]["remoteHost"] as? String == "2001:db8::7")
        #expect(details[2]["remotePort"] == nil)
    }

    @Test("Hostile SQL: control characters, quotes, backslashes and JSON look-alikes come out escaped, the event valid")
    func hostileText() throws {
        let line = "20261120 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'SELECT \\'\"},\\\"x\\\":1\u{01}\u{1B}[31m\\n\\r\\t\\\\ -- \u{7F}',0"
        let result = readAudit(line + "\n")
        #expect(result.problems.isEmpty)
        let detail = try #require(result.details.first)
        #expect(detail["commandText"] as? String == "SELECT '\"},\"x\":1\u{01}\u{1B}[31m\n\r\t\\ -- \u{7F}")
        #expect(detail["x"] == nil)
    }

    @Test("Damaged lines are reported each, the others read", arguments: [
        ("20261120 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'SELECT 1,0", "no closing quote"),
        ("20261120 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'SELECT 1'x,0", "not followed by a comma"),
        ("20261120 09:26:14,h,app,198.51.100", "this one has 4"),
        ("20261399 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'x',0", "not a time"),
        ("2026112 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'x',0", "not a time"),
        ("165305345968,h,app,198.51.100.23,1,2,QUERY,orders,'x',0", "not a time"),
        ("20261120 09:26:14,h,app,198.51.100.23,x1,2,QUERY,orders,'x',0", "connection id is not a number"),
        ("20261120 09:26:14,h,app,198.51.100.23,1,2,query,orders,'x',0", "not an audit operation"),
        ("20261120 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'x',ok", "return code is not a number"),
    ])
    func damaged(line: String, reason: String) throws {
        let good = "20261120 09:26:03,ip-10-0-12-34,app,198.51.100.23,411,0,CONNECT,orders,,0"
        let result = readAudit(good + "\n" + line + "\n" + good + "\n")
        #expect(result.events.count == 2)
        let problem = try #require(result.problems.first)
        #expect(result.problems.count == 1)
        #expect(problem.kind == .malformedRecord)
        #expect(problem.record == 1)
        #expect(problem.offset == good.utf8.count + 1)
        #expect(problem.reason.contains(reason), "\(problem.reason)")
    }

    @Test("Invalid UTF-8 in a field is reported, not written")
    func invalidUTF8() throws {
        var bytes = Array("20261120 09:26:14,h,app,198.51.100.23,1,2,QUERY,orders,'SELECT ".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("',0\n".utf8)
        let result = readAudit(bytes)
        #expect(result.events.isEmpty)
        #expect(result.problems.first?.reason.contains("commandText is not valid UTF-8") == true)
    }
}

@Suite("Database audit: PostgreSQL lines")
struct PostgresAuditLineTests {
    static let prefix = "2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:"

    @Test("The connection lines: received, authorized (CONNECT), disconnection (DISCONNECT)")
    func connections() throws {
        let result = readAudit("""
        2026-11-20 09:41:02 UTC:203.0.113.50(53422):[unknown]@[unknown]:[8812]:LOG:  connection received: host=203.0.113.50 port=53422
        2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  connection authorized: user=app database=billing SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)
        2026-11-20 09:51:02.123 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  disconnection: session time: 0:10:00.021 user=app database=billing host=203.0.113.50 port=53422

        """)
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 3)
        #expect(details[0]["command"] == nil)
        #expect(details[0]["dbUserName"] == nil)
        #expect(details[0]["remoteHost"] as? String == "203.0.113.50")
        #expect(details[0]["remotePort"] as? Int == 53422)
        #expect(details[1]["command"] as? String == "CONNECT")
        #expect(details[1]["dbUserName"] as? String == "app")
        #expect(details[1]["databaseName"] as? String == "billing")
        #expect(details[1]["sessionId"] as? String == "8812")
        #expect(details[1]["engine"] as? String == "postgres")
        #expect(details[1]["logTime"] as? String == "2026-11-20T09:41:02Z")
        #expect(details[2]["command"] as? String == "DISCONNECT")
        #expect(details[2]["logTime"] as? String == "2026-11-20T09:51:02.123Z")
    }

    @Test("Failed connections are FAILED_CONNECT with PostgreSQL's message", arguments: [
        #"password authentication failed for user "app""#,
        #"no pg_hba.conf entry for host "198.51.100.23", user "app", database "billing", SSL off"#,
        #"role "mallory" does not exist"#,
        #"database "secrets" does not exist"#,
        #"PAM authentication failed for user "iam_user""#,
        #"pg_hba.conf rejects connection for host "198.51.100.23", user "app", database "billing", no encryption"#,
    ])
    func failedConnections(message: String) throws {
        let result = readAudit(Self.prefix + "FATAL:  " + message + "\n")
        #expect(result.problems.isEmpty)
        let detail = try #require(result.details.first)
        #expect(detail["command"] as? String == "FAILED_CONNECT")
        #expect(detail["errorMessage"] as? String == message)
        #expect(detail["remoteHost"] as? String == "203.0.113.50")
    }

    @Test("Other messages are events with the prefix's fields and message only, never errors")
    func otherMessages() throws {
        let result = readAudit("""
        2026-11-20 09:41:05 UTC::@:[517]:LOG:  checkpoint starting: time
        2026-11-20 09:41:06 UTC:[local]:rdsadmin@rdsadmin:[9001]:ERROR:  relation "nope" does not exist at character 15
        \(Self.prefix)FATAL:  terminating connection due to administrator command

        """)
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 3)
        #expect(details.allSatisfy { $0["command"] == nil && $0["message"] != nil })
        #expect(details[0]["remoteHost"] == nil)
        #expect(details[0]["dbUserName"] == nil)
        #expect(details[1]["remoteHost"] as? String == "[local]")
    }

    @Test("pgaudit: SESSION and OBJECT entries, CSV quoting undone")
    func pgaudit() throws {
        let result = readAudit("""
        \(Self.prefix)LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.cards,"SELECT number, ""cvv"" FROM cards",<not logged>
        \(Self.prefix)LOG:  AUDIT: OBJECT,2,1,ROLE,GRANT,,,GRANT rds_superuser TO mallory,<none>
        \(Self.prefix)LOG:  AUDIT: SESSION,3,1,DDL,CREATE TABLE,TABLE,public.important_table,CREATE TABLE important_table (id INT)

        """)
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 3)
        #expect(details[0]["class"] as? String == "READ")
        #expect(details[0]["command"] as? String == "SELECT")
        #expect(details[0]["objectType"] as? String == "TABLE")
        #expect(details[0]["objectName"] as? String == "public.cards")
        #expect(details[0]["commandText"] as? String == #"SELECT number, "cvv" FROM cards"#)
        #expect(details[0]["statementId"] as? Int == 1)
        #expect(details[0]["substatementId"] as? Int == 1)
        #expect(details[1]["command"] as? String == "GRANT")
        #expect(details[1]["objectName"] == nil)
        #expect(details[2]["commandText"] as? String == "CREATE TABLE important_table (id INT)")
    }

    @Test("A statement over several lines (continuations begin with a tab) is one event; the tabs are not the statement's")
    func multiLine() throws {
        let result = readAudit("""
        \(Self.prefix)LOG:  AUDIT: SESSION,33,1,FUNCTION,DO,,,"DO $$
        \tBEGIN
        \tEXECUTE 'CREATE TABLE import' || 'ant_table (id INT)';
        \tEND $$;",<not logged>
        \(Self.prefix)LOG:  AUDIT: SESSION,33,2,DDL,CREATE TABLE,TABLE,public.important_table,CREATE TABLE important_table (id INT),<not logged>

        """)
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 2)
        #expect(details[0]["commandText"] as? String == "DO $$\nBEGIN\nEXECUTE 'CREATE TABLE import' || 'ant_table (id INT)';\nEND $$;")
        #expect((details[0]["message"] as? String)?.contains("\n\tBEGIN") == true)
        #expect(details[1]["substatementId"] as? Int == 2)
    }

    @Test("Damaged PostgreSQL lines are reported each, the others read", arguments: [
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.cards,\"SELECT 1", "no closing quote"),
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  AUDIT: SESSION,x,1,READ,SELECT,TABLE,t,q,<none>", "statement id is not a number"),
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  AUDIT: SESSION,1,1,READ", "has 8 or 9 fields"),
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  AUDIT: SESSIONS,1,1,READ,SELECT,TABLE,t,q,<none>", "SESSION or OBJECT"),
        ("2026-13-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  x", "not a date and time"),
        ("2026-11-20 09:41:02 CET:203.0.113.50(53422):app@billing:[8812]:LOG:  x", "is not UTC"),
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing", "no :[pid]:"),
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):appbilling:[8812]:LOG:  x", "no user@database"),
        ("2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:  x", "no severity"),
        ("----------------------- END OF LOG ----------------------", "starts with neither"),
    ])
    func damaged(line: String, reason: String) throws {
        let good = Self.prefix + "LOG:  connection authorized: user=app database=billing"
        let result = readAudit(good + "\n" + line + "\n" + good + "\n")
        #expect(result.events.count == 2)
        let problem = try #require(result.problems.first)
        #expect(result.problems.count == 1)
        #expect(problem.kind == .malformedRecord)
        #expect(problem.record == 1)
        #expect(problem.reason.contains(reason), "\(problem.reason)")
    }
}

@Suite("Database audit: delivery forms")
struct DatabaseAuditDeliveryTests {
    static let lines = [
        "20261120 09:25:50,ip-10-0-12-34,app,198.51.100.23,410,0,FAILED_CONNECT,,,1045",
        "20261120 09:26:14,ip-10-0-12-34,app,198.51.100.23,412,9001,QUERY,orders,'SELECT * FROM cards',0",
    ]

    @Test("A file downloaded from RDS is recognized by content, whatever its name")
    func downloaded() throws {
        for name in ["audit/server_audit.log", "x.json", "flow.log.gz"] {
            let result = readAudit(Self.lines.joined(separator: "\n"), path: name)
            #expect(result.problems.isEmpty)
            #expect(result.events.count == 2)
            #expect(result.identities == ["\(CanonicalPath.of(name)):0", "\(CanonicalPath.of(name)):1"])
            #expect(result.events.first?["account"] as? String == "")
        }
    }

    @Test("A CloudWatch Logs export (gzip, `ISO-TIME MESSAGE` lines): the stream, and the instance, from the key")
    func export() throws {
        let text = Self.lines.map { "2026-11-20T09:26:14.000Z " + $0 }.joined(separator: "\n") + "\n"
            + "2026-11-20T09:41:02.000Z 2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.cards,\"SELECT 1,\n\t2\",<none>\n"
        let path = "exports/rds/0b8e5c8d-6a52-4bd8-9d7c-2d5b8bd7d2f1/orders-db/000000.gz"
        let result = readAudit(Harness.gzip(Array(text.utf8)), path: path)
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 3)
        #expect(details.allSatisfy { $0["logStream"] as? String == "orders-db" && $0["dbInstance"] as? String == "orders-db" })
        #expect(details[0]["message"] as? String == Self.lines[0])
        #expect(details[0]["logTime"] as? String == "2026-11-20T09:25:50Z")
        #expect(details[2]["commandText"] as? String == "SELECT 1,\n2")
    }

    @Test("Subscription payloads as base64 lines: account from owner, instance from the log group, identity from the event id")
    func base64Payloads() throws {
        let payload = rdsPayload(group: "/aws/rds/instance/orders-db/audit", stream: "orders-db",
                                 messages: [("37941227834925634620339713931414458044734513823393415168", Self.lines[0]),
                                            ("37941227834925634620339713931414458044734513823393415169", Self.lines[1])])
        let result = readAudit(Harness.base64Gzip(payload) + "\n")
        #expect(result.problems.isEmpty)
        #expect(result.events.count == 2)
        #expect(result.events.allSatisfy { $0["account"] as? String == "111122223333" })
        let detail = try #require(result.details.first)
        #expect(detail["dbInstance"] as? String == "orders-db")
        #expect(detail["logGroup"] as? String == "/aws/rds/instance/orders-db/audit")
        #expect(detail["logStream"] as? String == "orders-db")
        #expect(detail["dbCluster"] == nil)
        #expect(result.identities.first == "/aws/rds/instance/orders-db/audit:37941227834925634620339713931414458044734513823393415168")
    }

    @Test("Firehose's S3 file: concatenated gzipped payloads; an Aurora cluster's group names the cluster, the stream the instance")
    func firehoseFile() throws {
        let first = rdsPayload(group: "/aws/rds/cluster/billing/postgresql", stream: "billing-instance-1",
                               messages: [("1", "2026-11-20 09:41:02 UTC:203.0.113.50(53422):app@billing:[8812]:LOG:  connection authorized: user=app database=billing")])
        let second = rdsPayload(group: "/aws/rds/cluster/billing/audit", stream: "billing-instance-2.audit.log.0.2026-11-20-09-00.0.2",
                                messages: [("2", "1763631662000000,billing-instance-2,app,198.51.100.23,9,0,CONNECT,,,0")])
        let bytes = Harness.gzip(Array(first.utf8)) + Harness.gzip(Array(second.utf8))
        let result = readAudit(bytes, path: "firehose/2026/11/20/09/rds-logs-1-2026-11-20-09-41-02-abcd")
        #expect(result.problems.isEmpty)
        let details = result.details
        #expect(details.count == 2)
        #expect(details[0]["dbCluster"] as? String == "billing")
        #expect(details[0]["dbInstance"] as? String == "billing-instance-1")
        #expect(details[0]["engine"] as? String == "postgres")
        #expect(details[1]["dbInstance"] as? String == "billing-instance-2")
        #expect(details[1]["engine"] as? String == "mysql")
    }

    @Test("An RDS log group's damaged audit line is reported; an error log's lines are events with message only")
    func logGroups() throws {
        let audit = rdsPayload(group: "/aws/rds/instance/orders-db/audit", stream: "orders-db",
                               messages: [("1", "20261120 09:26:14,h,app"), ("2", Self.lines[1])])
        let error = rdsPayload(group: "/aws/rds/instance/orders-db/error", stream: "orders-db",
                               messages: [("3", "2026-11-20T09:26:01.123456Z 0 [Note] [MY-010914] [Server] Aborted connection 412")])
        let result = readAudit(Harness.base64Gzip(audit) + "\n" + Harness.base64Gzip(error) + "\n")
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.reason.contains("fits no known shape") == true)
        let details = result.details
        #expect(details.count == 2)
        #expect(details[1]["message"] as? String == "2026-11-20T09:26:01.123456Z 0 [Note] [MY-010914] [Server] Aborted connection 412")
        #expect(details[1]["logTime"] as? String == "2025-11-20T09:26:01.000000Z")
        #expect(details[1]["engine"] == nil)
    }

    @Test("A truncated gzip export reports the damage once; the whole lines before it are read")
    func truncated() throws {
        let text = String(repeating: Self.lines[1] + "\n", count: 2000)
        let gzip = Harness.gzip(Array(text.utf8))
        let result = readAudit(Array(gzip[..<(gzip.count / 2)]), path: "cut.gz")
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.kind == .corruptCompression)
        #expect(result.events.count > 100)
        #expect(result.details.allSatisfy { $0["commandText"] as? String == "SELECT * FROM cards" })
    }
}

@Suite("Database audit: the line parser on arbitrary bytes")
struct DatabaseAuditLineRobustnessTests {
    @Test("Random bytes and mutated lines never trap, and every range it returns lies within the line")
    func arbitraryBytes() {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let seeds = [
            Array(DatabaseAuditDeliveryTests.lines[1].utf8),
            Array((PostgresAuditLineTests.prefix + "LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,t,\"a\"\"b\",<none>").utf8),
            Array(("2026-11-20T09:41:02.000Z " + DatabaseAuditDeliveryTests.lines[0]).utf8),
        ]
        for round in 0..<20_000 {
            var bytes = seeds[round % seeds.count]
            let mutations = Int(next() % 6) + 1
            for _ in 0..<mutations where !bytes.isEmpty {
                let index = Int(next() % UInt64(bytes.count))
                switch next() % 4 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.remove(at: index)
                case 2: bytes.insert([UInt8(ascii: ","), UInt8(ascii: "'"), UInt8(ascii: "\""), 0x5C, 0x0A, 0x09][Int(next() % 6)], at: index)
                default: bytes.removeSubrange(index...)
                }
            }
            var fields = DatabaseAuditFields()
            bytes.withUnsafeBytes { buffer in
                guard (try? DatabaseAuditLine.parse(buffer, into: &fields)) != nil else { return }
                let ranges: [Range<Int>?] = [fields.serverHost?.range, fields.dbUserName?.range, fields.remoteHost?.range,
                                             fields.remotePort, fields.databaseName?.range, fields.sessionID?.range,
                                             fields.statementID, fields.substatementID, fields.command?.range,
                                             fields.commandText?.range, fields.objectName?.range, fields.exitCode,
                                             fields.errorMessage?.range, fields.message]
                for range in ranges.compactMap({ $0 }) {
                    #expect(range.lowerBound >= 0 && range.upperBound <= buffer.count)
                }
            }
        }
    }
}
