import Foundation
import Testing
@testable import VigilAWS

/// `CachingCredentialProvider`: kept until 5 minutes before expiration, refreshed then, the old
/// ones used while a refresh fails and they are still valid; with a scripted provider and a clock
/// the test moves.
@Suite("Caching credential provider")
struct CachingCredentialsTests {
    /// Hands out the answers it is given, in order (the last one again when they run out), and counts
    /// the calls; each call can be made to take a while.
    final class ScriptedProvider: AWSCredentialProvider {
        let answers: SharedValue<[Result<AWSCredentials, AWSAccessError>]>
        let calls = SharedValue(0)
        let delay: Double

        init(_ answers: [Result<AWSCredentials, AWSAccessError>], delay: Double = 0) {
            self.answers = SharedValue(answers)
            self.delay = delay
        }

        func credentials() throws(AWSAccessError) -> AWSCredentials {
            calls.update { $0 += 1 }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            let answer = answers.update { list in list.count > 1 ? list.removeFirst() : list[0] }
            return try answer.get()
        }
    }

    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    static func temporary(_ key: String, expiringAfter seconds: TimeInterval) -> AWSCredentials {
        AWSCredentials(accessKeyID: key, secretAccessKey: "s", sessionToken: "t", expiration: start.addingTimeInterval(seconds),
                       source: "test")
    }

    static let outage = AWSAccessError(.noCredentials, "instance metadata: no answer from 169.254.169.254 within 1 s")

    @Test("long-term keys are asked for once")
    func longTermKeys() throws {
        let base = ScriptedProvider([.success(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s", source: "test"))])
        let clock = SharedValue(Self.start)
        let cache = CachingCredentialProvider(base, now: { clock.value })
        for day in 0..<3 {
            clock.value = Self.start.addingTimeInterval(Double(day) * 86_400)
            #expect(try cache.credentials().accessKeyID == "AKIA")
        }
        #expect(base.calls.value == 1)
    }

    @Test("temporary credentials are kept until 5 minutes before they expire, then refreshed")
    func refreshesNearExpiry() throws {
        let base = ScriptedProvider([.success(Self.temporary("ASIAFIRST", expiringAfter: 3600)),
                                     .success(Self.temporary("ASIASECOND", expiringAfter: 7200))])
        let clock = SharedValue(Self.start)
        let cache = CachingCredentialProvider(base, now: { clock.value })
        #expect(try cache.credentials().accessKeyID == "ASIAFIRST")
        clock.value = Self.start.addingTimeInterval(3600 - 301)
        #expect(try cache.credentials().accessKeyID == "ASIAFIRST")
        #expect(base.calls.value == 1)
        clock.value = Self.start.addingTimeInterval(3600 - 299)
        #expect(try cache.credentials().accessKeyID == "ASIASECOND")
        #expect(base.calls.value == 2)
        clock.value = Self.start.addingTimeInterval(3600 + 60)
        #expect(try cache.credentials().accessKeyID == "ASIASECOND")
        #expect(base.calls.value == 2)
    }

    @Test("a failed refresh keeps the old credentials while they are valid, retries later, and fails once they expire")
    func keepsOldOnFailure() throws {
        let base = ScriptedProvider([.success(Self.temporary("ASIAOLD", expiringAfter: 3600)), .failure(Self.outage)])
        let clock = SharedValue(Self.start)
        let cache = CachingCredentialProvider(base, retryInterval: 10, now: { clock.value })
        #expect(try cache.credentials().accessKeyID == "ASIAOLD")

        clock.value = Self.start.addingTimeInterval(3600 - 120)  // inside the window: refresh, which fails
        #expect(try cache.credentials().accessKeyID == "ASIAOLD")
        #expect(base.calls.value == 2)
        clock.value = Self.start.addingTimeInterval(3600 - 115)  // within the retry interval: not asked again
        #expect(try cache.credentials().accessKeyID == "ASIAOLD")
        #expect(base.calls.value == 2)
        clock.value = Self.start.addingTimeInterval(3600 - 100)  // past it: asked again, fails again
        #expect(try cache.credentials().accessKeyID == "ASIAOLD")
        #expect(base.calls.value == 3)

        clock.value = Self.start.addingTimeInterval(3600)  // expired: the failure is the answer
        #expect(throws: Self.outage) { try cache.credentials() }
        #expect(base.calls.value == 4)

        base.answers.value = [.success(Self.temporary("ASIANEW", expiringAfter: 7200))]
        #expect(try cache.credentials().accessKeyID == "ASIANEW")
    }

    @Test("the first call's failure is thrown; nothing is cached")
    func firstFailure() throws {
        let base = ScriptedProvider([.failure(Self.outage), .success(Self.temporary("ASIALATER", expiringAfter: 3600))])
        let cache = CachingCredentialProvider(base, now: { Self.start })
        #expect(throws: Self.outage) { try cache.credentials() }
        #expect(try cache.credentials().accessKeyID == "ASIALATER")
    }

    @Test("callers at once share one refresh; within the window the others use the old credentials meanwhile")
    func concurrentCallers() throws {
        let base = ScriptedProvider([.success(Self.temporary("ASIAONE", expiringAfter: 3600)),
                                     .success(Self.temporary("ASIATWO", expiringAfter: 7200))], delay: 0.2)
        let clock = SharedValue(Self.start)
        let cache = CachingCredentialProvider(base, now: { clock.value })
        let keys = SharedValue<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let key = (try? cache.credentials().accessKeyID) ?? "error"
            keys.update { $0.append(key) }
        }
        #expect(base.calls.value == 1)
        #expect(Set(keys.value) == ["ASIAONE"])

        clock.value = Self.start.addingTimeInterval(3600 - 60)
        keys.value = []
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let key = (try? cache.credentials().accessKeyID) ?? "error"
            keys.update { $0.append(key) }
        }
        #expect(base.calls.value == 2)
        #expect(keys.value.contains("ASIATWO"))
        #expect(Set(keys.value).isSubset(of: ["ASIAONE", "ASIATWO"]))
        #expect(try cache.credentials().accessKeyID == "ASIATWO")
    }
}
