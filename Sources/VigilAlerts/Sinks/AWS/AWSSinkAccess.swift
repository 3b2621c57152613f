import Foundation
import VigilAWS

/// What every AWS sink of a run shares: one HTTP transport, one cached credential chain (the
/// AWS CLI's: environment, profiles, web identity, container and instance metadata) and the
/// default region. Made by `SinkFactory` when the first AWS sink is.
public final class AWSSinkAccess: Sendable {
    private let transport: URLSessionTransport
    private let credentials: CachingCredentialProvider
    private let environment: [String: String]
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's, else `us-east-1`.
    public let defaultRegion: String
    /// The account of the credentials, looked up once (`GetCallerIdentity`) when first needed.
    private let callerAccount = CallerAccount()

    public init(environment: [String: String]) {
        self.environment = environment
        transport = URLSessionTransport()
        let chain = CredentialChain(environment: environment, transport: transport)
        defaultRegion = ((try? chain.region()) ?? nil) ?? "us-east-1"
        credentials = CachingCredentialProvider(chain)
    }

    /// The context a sink of `kind` sends through: a client signing for its service in its region
    /// (or the default one), to `override`, else the environment's endpoint, else AWS's.
    ///
    /// The client makes one attempt per call: the spool retries, with the sink's policy, so that
    /// a failing call waits in the spool (and survives a crash) rather than in a sleeping thread.
    func context(for kind: any AWSSinkKind, timeout: TimeInterval, override: AWSEndpoint?) throws(AWSSinkSpecificationError) -> AWSSinkContext {
        let service = type(of: kind).service
        let region = kind.region ?? defaultRegion
        let endpoint = try self.endpoint(service: service, region: region, override: override)
        let client = AWSClient(service: service.signingName, region: region, credentials: credentials, transport: transport,
                               retryPolicy: AWSRetryPolicy(maximumAttempts: 1), timeout: timeout)
        return AWSSinkContext(client: client, endpoint: endpoint, region: region, access: self)
    }

    private func endpoint(service: (identifier: String, signingName: String), region: String,
                          override: AWSEndpoint?) throws(AWSSinkSpecificationError) -> AWSEndpoint {
        if let override { return override }
        do {
            if let configured = try AWSEndpoint.configured(serviceIdentifier: service.identifier, environment: environment) {
                return configured
            }
        } catch {
            throw AWSSinkSpecificationError(error.message)
        }
        return .regional(service: service.signingName, region: region)
    }

    /// The 12-digit account of the credentials in use, asked of STS in `region` once; a failure
    /// is not kept, so the next delivery asks again.
    func account(region: String, timeout: TimeInterval, override: AWSEndpoint?) throws(AWSServiceError) -> String {
        if let known = callerAccount.value { return known }
        let endpoint: AWSEndpoint
        do {
            endpoint = try self.endpoint(service: ("STS", "sts"), region: region, override: override)
        } catch {
            throw AWSServiceError(.other, message: "GetCallerIdentity: \(error.message)")
        }
        let client = AWSClient(service: "sts", region: region, credentials: credentials, transport: transport,
                               retryPolicy: AWSRetryPolicy(maximumAttempts: 1), timeout: timeout)
        let account = try STSClient(client: client, endpoint: endpoint).callerAccount()
        callerAccount.value = account
        return account
    }
}

/// The account, once known.
private final class CallerAccount: @unchecked Sendable {
    // @unchecked: `stored` is read and written only under `lock`.
    private let lock = NSLock()
    private var stored: String?

    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
