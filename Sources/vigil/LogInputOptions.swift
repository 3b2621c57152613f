import ArgumentParser
import Foundation
import VigilAWS
import VigilPipeline

/// What commands that read an archive (replay, hunt) share: the paths and `s3://` locations, the
/// number of files read at once, and how to reach S3.
struct LogInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Files read at once, each on its own core (default: the number of cores). The output is the same, in the same order, whatever the number.",
        valueName: "N"))
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var aws: AWSOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1.") }
    }

    /// Refuses an empty list and `s3://` arguments that are no S3 location.
    static func validate(paths: [String]) throws {
        if paths.isEmpty { throw ValidationError("Give at least one log file or directory.") }
        for path in paths where path.hasPrefix("s3://") && S3Location(url: path) == nil {
            throw ValidationError("not an S3 location (s3://BUCKET/PREFIX): \(path)")
        }
    }

    /// The run's inputs: the local paths, and the objects under the `s3://` locations (listed
    /// only in the days, accounts and regions `filter` keeps). Says on stderr what was listed
    /// unless `quiet`; a listing that fails is an error (`ExitCode(2)`).
    func readOptions(paths: [String], settings: EventReader.Settings, command: String, quiet: Bool) throws -> Replay.Options {
        var options = Replay.Options(paths: paths.filter { !$0.hasPrefix("s3://") })
        let locations = paths.filter { $0.hasPrefix("s3://") }.compactMap(S3Location.init(url:))
        if !locations.isEmpty {
            do {
                let s3 = try aws.makeAccess().s3
                let listing = try S3Backfill(s3: s3, filter: settings.filter).list(locations)
                options.objects = listing.objects
                options.objectsOfOtherServices = listing.objectsOfOtherServices
                options.s3 = s3
                if !quiet {
                    StandardError.write("vigil \(command): \(listing.objects.count) objects under "
                        + "\(listing.prefixesListed.count) prefixes (\(listing.foldersListed.count) folder listings)\n")
                }
            } catch {
                CommandInput.printError("\(error)")
                throw ExitCode(2)
            }
        }
        options.reading = settings
        options.showsProgress = !quiet
        options.jobs = jobs
        return options
    }
}
