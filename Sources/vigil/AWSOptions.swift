import ArgumentParser
import Foundation
import VigilAWS
import VigilMetrics

/// How to reach AWS: where requests go, in which region, with which profile. Credentials come
/// from the standard chain (environment, profiles, web identity, container endpoint, instance
/// metadata), as for the AWS CLI.
struct AWSOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Send S3 and SQS requests here instead of AWS (an S3-compatible store, a local test server), as the AWS CLI's option.",
        valueName: "URL"))
    var endpointURL: String?

    @Option(help: ArgumentHelp(
        "Region of the bucket and queue (default: the queue URL's, else AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1).",
        valueName: "REGION"))
    var awsRegion: String?

    @Option(help: ArgumentHelp("The profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else default).",
                               valueName: "NAME"))
    var profile: String?

    func validate() throws {
        if let endpointURL, AWSEndpoint(url: endpointURL) == nil {
            throw ValidationError("--endpoint-url: not an http or https URL without a path: \(endpointURL)")
        }
    }

    /// Clients for S3 and, with `queueURL`, SQS, sharing one transport and one credential cache.
    func makeAccess(queueURL: String? = nil, metrics: VigilMetrics? = nil) throws -> AWSAccess {
        var environment = ProcessInfo.processInfo.environment
        if let profile { environment["AWS_PROFILE"] = profile }
        let transport = URLSessionTransport()
        let chain = CredentialChain(environment: environment, transport: transport)
        let region: String
        do {
            region = try awsRegion ?? queueURL.flatMap(SQSClient.region(ofQueueURL:)) ?? chain.region() ?? "us-east-1"
        } catch {
            throw AWSSetupError(description: "\(error)")
        }
        let credentials = CachingCredentialProvider(chain)
        let endpoint = endpointURL.flatMap(AWSEndpoint.init(url:))
        let onRetry: @Sendable (String) -> Void = { service in metrics?.awsRequestRetried(service: service) }
        let s3 = S3Client(client: AWSClient(service: "s3", region: region, credentials: credentials, transport: transport,
                                            onRetry: onRetry), endpoint: endpoint)
        var sqs: SQSClient?
        if let queueURL {
            let client = AWSClient(service: "sqs", region: region, credentials: credentials, transport: transport, onRetry: onRetry)
            guard let made = SQSClient(queueURL: queueURL, client: client, endpoint: endpoint) else {
                throw AWSSetupError(description: "--sqs: not a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME): \(queueURL)")
            }
            sqs = made
        }
        return AWSAccess(s3: s3, sqs: sqs, region: region)
    }
}

/// The clients a command uses.
struct AWSAccess {
    let s3: S3Client
    let sqs: SQSClient?
    let region: String
}

struct AWSSetupError: Error, CustomStringConvertible {
    let description: String
}
