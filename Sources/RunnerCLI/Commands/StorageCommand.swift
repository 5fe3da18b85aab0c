import ArgumentParser
import Foundation
import Manifest
import Storage

/// `runner storage cp SRC DST`: copies one file between a local path and S3, through the same
/// ObjectStore code the stages use (and what bench/storage measures).
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Copy files to and from S3 with the runner's own S3 client.",
        subcommands: [Copy.self]
    )

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cp",
            abstract: "Copy one file: local to S3, S3 to local, or S3 to S3 (through a local temporary file).",
            discussion: """
                A destination ending in / gets the source's file name.
                Examples:
                  runner storage cp video.mp4 s3://my-bucket/videos/
                  runner storage cp s3://my-bucket/videos/video.mp4 ./video.mp4 --endpoint-url http://127.0.0.1:9000
                """
        )

        @Argument(help: "Source: a file or s3://bucket/key.")
        var source: String

        @Argument(help: "Destination: a file, a folder/, s3://bucket/key or s3://bucket/prefix/.")
        var destination: String

        @Option(name: .customLong("endpoint-url"), help: "An S3-compatible endpoint, as for the AWS CLI.")
        var endpointURL: String?

        func validate() throws {
            do {
                _ = try Location(parsing: source)
                _ = try Location(parsing: destination)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let from: Location
            var to: Location
            do {
                from = try Location(parsing: source)
                to = try Location(parsing: destination)
            } catch {
                throw storageUsageFailure(error.description)
            }
            if to.isPrefix, let name = source.split(separator: "/").last { to = to.appending(String(name)) }
            let settings = S3Settings(commandLineEndpoint: endpointURL)
            do {
                let (sourceStore, sourceKey) = try await ObjectStores.open(from, settings: settings)
                let (targetStore, targetKey) = try await ObjectStores.open(to, settings: settings)
                if case .local(let path) = from.resolved(against: FileManager.default.currentDirectoryPath) {
                    try await targetStore.put(targetKey, from: URL(fileURLWithPath: path), contentType: nil)
                } else if case .local(let path) = to.resolved(against: FileManager.default.currentDirectoryPath) {
                    try await sourceStore.get(sourceKey, to: URL(fileURLWithPath: path))
                } else {
                    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
                        "runner-cp-\(UUID().uuidString)")
                    defer { try? FileManager.default.removeItem(at: temporary) }
                    try await sourceStore.get(sourceKey, to: temporary)
                    try await targetStore.put(targetKey, from: temporary, contentType: nil)
                }
            } catch {
                throw storageFailure(error)
            }
        }
    }
}
