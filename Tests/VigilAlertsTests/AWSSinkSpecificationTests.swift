import Foundation
import Testing
import VigilAlerts

/// How AWS sinks are named (`--sink`, targets, the configuration file).
@Suite struct AWSSinkSpecificationTests {
    @Test func eachKindReadsItsTargetAndRegion() throws {
        let sns = try AWSSinkSettings(specification: "sns:arn:aws:sns:eu-west-1:111122223333:alerts")
        #expect((sns.kind as? SNSSinkKind)?.topic.resource == "alerts" && sns.kind.region == "eu-west-1")
        let bus = try AWSSinkSettings(specification: "eventbridge:arn:aws:events:ap-southeast-2:111122223333:event-bus/security")
        #expect(bus.kind.region == "ap-southeast-2" && (bus.kind as? EventBridgeSinkKind)?.bus.hasSuffix("event-bus/security") == true)
        let named = try AWSSinkSettings(specification: "eventbridge:security")
        #expect(named.kind.region == nil, "a bus name: the default region")
        let function = try AWSSinkSettings(specification: "lambda:arn:aws:lambda:us-west-2:111122223333:function:respond:live")
        #expect(function.kind.region == "us-west-2" && (function.kind as? LambdaSinkKind)?.function.resource == "function:respond:live")
        #expect(try AWSSinkSettings(specification: "securityhub").kind.region == nil)
        #expect(try AWSSinkSettings(specification: "securityhub:us-gov-west-1").kind.region == "us-gov-west-1")
    }

    @Test(arguments: [
        ("sns:", "sns: needs a topic ARN"),
        ("sns:alerts", "sns: needs a topic ARN"),
        ("sns:arn:aws:sqs:us-east-1:111122223333:queue", "sns: needs a topic ARN"),
        ("eventbridge:", "eventbridge: needs a bus name or ARN"),
        ("eventbridge:arn:aws:events:us-east-1:111122223333:rule/r", "is not an event bus ARN"),
        ("eventbridge:bus with spaces", "is not an event bus name"),
        ("lambda:respond", "lambda: needs a function ARN"),
        ("securityhub:EU", "securityhub: takes a region"),
    ])
    func aWrongTargetIsRefusedSayingWhatIsExpected(specification: String, message: String) {
        #expect(throws: AWSSinkSpecificationError.self) { try AWSSinkSettings(specification: specification) }
        do {
            _ = try SinkDefinition(specification: specification)
            Issue.record("\(specification) was taken")
        } catch {
            #expect(error.reason.contains(message), "\(error.reason)")
        }
    }

    @Test func awsSpecificationsAreTargetsAndUnknownOnesListThem() {
        let names = SinkNames(configured: [], configurationFile: nil)
        #expect(names.contains("sns:arn:aws:sns:us-east-1:111122223333:alerts"))
        #expect(names.contains("securityhub"))
        #expect(names.problem(with: "lambda:nope")?.contains("lambda: needs a function ARN") == true)
        #expect(names.problem(with: "pagerduty")?.contains("sns:TOPIC_ARN, eventbridge:BUS_NAME_OR_ARN, lambda:FUNCTION_ARN, securityhub[:REGION]") == true)
    }

    @Test func theConfigurationFileDefinesAWSSinksWithDeliverySettings() throws {
        let configuration = try VigilConfiguration(json: Array("""
            {"sinks": {"topic": {"type": "aws", "target": "sns:arn:aws:sns:us-east-1:111122223333:alerts",
                                 "endpointUrl": "http://127.0.0.1:4566", "timeout": "2s", "maxRetryAttempts": 3,
                                 "maxEventAge": "1h", "firstRetryDelay": "50ms", "maxRetryDelay": "1s", "concurrency": 2}},
             "defaultSinks": ["topic", "securityhub"]}
            """.utf8), file: "vigil.json")
        guard case .aws(let settings)? = configuration.sinks["topic"] else {
            Issue.record("not an AWS sink")
            return
        }
        #expect(settings.specification == "sns:arn:aws:sns:us-east-1:111122223333:alerts")
        #expect(settings.retryPolicy == RetryPolicy(maximumRetryAttempts: 3, maximumEventAge: 3_600, firstRetryDelay: 0.05, maximumRetryDelay: 1))
        #expect(settings.timeout == 2 && settings.concurrency == 2 && settings.endpoint?.description == "http://127.0.0.1:4566")
        #expect(configuration.defaultSinks == ["topic", "securityhub"])
    }

    @Test func aBadAWSSinkInTheConfigurationFileIsRefusedAtItsKey() {
        do {
            _ = try VigilConfiguration(json: Array("""
                {"sinks": {"a": {"type": "aws"}, "b": {"type": "aws", "target": "sns:nope"},
                           "c": {"type": "aws", "target": "securityhub", "endpointUrl": "ftp://x", "concurrency": 0},
                           "d": {"type": "aws", "target": "securityhub", "url": "https://x"}}}
                """.utf8), file: "vigil.json")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.keyPath).sorted() == ["sinks.a", "sinks.b.target", "sinks.c.concurrency", "sinks.c.endpointUrl", "sinks.d.url"])
        }
    }
}
