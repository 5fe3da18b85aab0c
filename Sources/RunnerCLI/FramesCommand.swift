import ArgumentParser
import Foundation
import Manifest
import Stages
import Storage

extension FrameOrder: ExpressibleByArgument {}

/// `runner frames LOCATION`: the images a frames stage would take, in order, with size and time.
struct FramesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract: "List the frames (png, jpg, jpeg, webp in any case) under a folder or S3 prefix, in order.",
        discussion: """
            Credentials, region and endpoint are resolved as the AWS CLI does (see docs/storage.md).
            Exit status: 0 on success, 1 when the store cannot be read, 2 on a bad location or option.

            Examples:
              runner frames ./shots/
              runner frames s3://my-bucket/shots/ --include 'intro_*' --order modified
              runner frames s3://frames/ --endpoint-url http://127.0.0.1:9000 --format json
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "A local folder or an s3://bucket/prefix/.")
    var location: String

    @Option(name: .customLong("include"), help: "Keep only names matching this glob (repeatable; any match keeps).")
    var include: [String] = []

    @Option(help: "Order: natural, lexical or modified.")
    var order: FrameOrder = .natural

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("endpoint-url"), help: "An S3-compatible endpoint (MinIO, R2, moto), as for the AWS CLI.")
    var endpointURL: String?

    func run() async throws {
        let parsed: Location
        do { parsed = try Location(parsing: location) } catch { throw storageUsageFailure(error.description) }
        let frames: [FrameListing.Frame]
        let root: String
        do {
            let (store, key) = try await ObjectStores.open(parsed, settings: S3Settings(commandLineEndpoint: endpointURL))
            root = store.root
            frames = try await FrameListing.frames(in: store, prefix: key, include: include, order: order)
        } catch {
            throw storageFailure(error)
        }
        print(FrameListingOutput.render(frames, root: root, format: format == .json))
    }
}

/// The text and JSON forms of a frame listing.
enum FrameListingOutput {
    struct Entry: Encodable {
        let location: String
        let name: String
        let size: Int64
        let modified: String?
    }

    static func render(_ frames: [FrameListing.Frame], root: String, format json: Bool) -> String {
        let dates = Date.ISO8601FormatStyle()
        let base = root.hasSuffix("/") ? root : root + "/"
        let entries = frames.map {
            Entry(location: base + $0.key, name: $0.name, size: $0.size, modified: $0.modified.map { dates.format($0) })
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        }
        // Names come from other people's folders and buckets: printed inert (docs/security.md).
        return entries.map { "\($0.size)\t\($0.modified ?? "-")\t\(InertText.escaped($0.location))" }.joined(separator: "\n")
    }
}

/// Prints a storage error and gives the exit code for it.
func storageFailure(_ error: StorageError) -> ExitCode {
    if case .invalidEndpoint = error { return StandardError.fail(error.description, status: ExitStatus.invalidInput) }
    return StandardError.fail(error.description, status: ExitStatus.failure)
}

/// Prints a usage problem (bad location) and gives exit status 2.
func storageUsageFailure(_ message: String) -> ExitCode {
    StandardError.fail(message, status: ExitStatus.invalidInput)
}
