import ArgumentParser
import Foundation
import Manifest
import Media
import Stages
import Storage

extension FrameOrder: ExpressibleByArgument {}

/// `runner frames LOCATION`: the images a frames stage would take, in order, with size and time.
struct FramesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frames",
        abstract:
            "List the frames (png, jpg, jpeg, webp, heic, heif, avif in any case) under a folder or S3 prefix, in order.",
        discussion: """
            Files that are not frames (hidden files, macOS ._* and __MACOSX/ sidecars, .DS_Store, Thumbs.db, \
            desktop.ini, other types, names no --include matches) are named on stderr with the reason \
            (in JSON: under "skipped").
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

    @Option(
        help: ArgumentHelp(
            "Also write each frame's prepared image (what a provider receives: upright, flattened, JPEG) into this folder.",
            valueName: "folder"))
    var prepare: String?

    @Option(help: "With --prepare: what shows through transparent parts (#rrggbb, black or white).")
    var background: String = "black"

    func validate() throws {
        do { _ = try Location(parsing: location) } catch { throw ValidationError(error.description) }
        if prepare != nil, RGBColor(parsing: background) == nil {
            throw ValidationError("--background \(background) is not a colour: give #rrggbb, black or white")
        }
    }

    func run() async throws {
        let parsed: Location
        do { parsed = try Location(parsing: location) } catch { throw storageUsageFailure(error.description) }
        let listing: FrameListing.Listing
        let root: String
        do {
            let (store, key) = try await ObjectStores.open(
                parsed, settings: S3Settings(commandLineEndpoint: endpointURL))
            root = store.root
            listing = try await FrameListing.listing(in: store, prefix: key, include: include, order: order)
                .refusingUnusableNames
        } catch {
            throw storageFailure(error)
        }
        let rendered = FrameListingOutput.render(listing, root: root, format: format == .json)
        if !rendered.frames.isEmpty { print(rendered.frames) }
        if !rendered.skipped.isEmpty { StandardError.write(rendered.skipped + "\n") }
        if let prepare { try await prepareFrames(listing.frames, location: parsed, into: prepare) }
    }

    /// Writes each frame's prepared image to `folder` as `<name>.jpg` (folders flattened with `_`), and names each
    /// frame the runner would refuse; exit status 2 when any is refused.
    private func prepareFrames(_ frames: [FrameListing.Frame], location: Location, into folder: String) async throws {
        guard let colour = RGBColor(parsing: background) else {
            throw storageUsageFailure("--background \(background) is not a colour: give #rrggbb, black or white")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (store, _) = try await ObjectStores.open(location, settings: S3Settings(commandLineEndpoint: endpointURL))
        var refused = 0
        for frame in frames {
            let output = (folder as NSString).appendingPathComponent(
                frame.name.replacingOccurrences(of: "/", with: "_") + ".jpg")
            var source = "/" + frame.key
            let download = output + ".source"
            if !(store is LocalStore) {
                try await store.get(frame.key, to: URL(fileURLWithPath: download))
                source = download
            }
            defer { try? FileManager.default.removeItem(atPath: download) }
            do {
                let report = try PreparedImage.write(source: source, to: output, background: colour)
                StandardError.write(
                    "prepared \(InertText.escaped(frame.name)): \(report.source.summary) -> \(report.width)x\(report.height) JPEG, \(report.bytes) bytes\n"
                )
            } catch {
                refused += 1
                let reason: String
                if case .unusableImage(_, let problem) = error {
                    reason = problem.description
                } else {
                    reason = error.description
                }
                StandardError.write("! \(InertText.escaped(frame.name)): \(reason)\n")
            }
        }
        if refused > 0 { throw ExitCode(ExitStatus.invalidInput) }
    }
}
