import Foundation
import Testing
import VigilAlerts

@Suite struct SinkFactoryTests {
    @Test func standardOutputAndFilesLeaveTheStateDirectoryAlone() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let configuration = VigilConfiguration(sinks: ["archive": .file(FileSinkSettings(path: scratch.appending("a.jsonl")))])
        let factory = SinkFactory(configuration: configuration, stateDirectory: scratch.appending("state"))
        let console = try factory.makeSink(named: "stdout")
        let archive = try factory.makeSink(named: "archive")
        let spec = try factory.makeSink(named: "file:" + scratch.appending("b.jsonl"))
        #expect(console is StandardOutputSink && console.name == "stdout")
        #expect(archive is FileSink && archive.name == "archive")
        #expect(spec is FileSink && spec.name == "file:" + scratch.appending("b.jsonl"))
        #expect(!FileManager.default.fileExists(atPath: scratch.appending("state")))
        #expect(factory.warnings.isEmpty)
    }

    @Test func webhookSinksShareOneStateDatabaseAndAreNamedAsTargeted() throws {
        let scratch = ScratchDirectory()
        let url = "http://127.0.0.1:9/hook"  // nothing is sent: no alert is given to the sinks
        let configuration = VigilConfiguration(sinks: [
            "pager": .webhook(WebhookSinkSettings(configuration: try WebhookConfiguration(url: url))),
        ])
        let factory = SinkFactory(configuration: configuration, stateDirectory: scratch.path, environment: [:])
        let pager = try factory.makeSink(named: "pager")
        let byURL = try factory.makeSink(named: "webhook:\(url)")
        let first = try #require(pager as? SpooledSink)
        let second = try #require(byURL as? SpooledSink)
        #expect(first.name == "pager" && second.name == "webhook:\(url)")
        #expect(try factory.stateDatabase() === factory.stateDatabase(), "opened once")
        #expect(FileManager.default.fileExists(atPath: scratch.appending(StateDatabase.fileName)))
        #expect(first.deliveryReport?.deadLetterFile == scratch.appending(DeadLetterFile.fileName))
    }

    @Test func aMissingSecretStopsTheWebhookSinkFromBeingMade() throws {
        let scratch = ScratchDirectory()
        let settings = WebhookSinkSettings(
            configuration: try WebhookConfiguration(url: "https://h.example.com/", secretEnvironmentVariable: "HOOK_SECRET"))
        let factory = SinkFactory(configuration: VigilConfiguration(sinks: ["pager": .webhook(settings)]),
                                  stateDirectory: scratch.path, environment: [:])
        #expect(throws: SinkError.self) { _ = try factory.makeSink(named: "pager") }
    }

    @Test func unknownNamesAreRefusedWithTheKnownOnes() {
        let factory = SinkFactory(stateDirectory: ScratchDirectory().path)
        do {
            _ = try factory.makeSink(named: "pager")
            Issue.record("pager is not defined")
        } catch {
            #expect(error.reason.contains("no configuration file"))
        }
    }
}
