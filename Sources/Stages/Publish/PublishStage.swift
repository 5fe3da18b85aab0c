import Foundation
import Manifest
import Storage

/// The one work item of a publish: the film and its destination.
public struct PublishWork: Sendable {
    /// The stage's name: a publish's one item is named as its stage.
    public let name: String
    public let input: Artifact
    public let key: ContentKey
    public let destination: Location
}

/// A `publish` stage: the film copied or uploaded to its place, and a time-limited link to it.
public struct PublishStage: Sendable {
    public static let publishFormatVersion = "publish-v1"

    public let name: String
    public let options: PublishOptions
    /// The project folder (the manifest's): a local destination inside it enters the key relative to it, so a moved
    /// or re-cloned project does not publish again (issue #15). Nil keys it by its absolute path.
    public let project: String?

    /// The stage named `name` with its options.
    public init(name: String, options: PublishOptions, project: String? = nil) {
        self.name = name
        self.options = options
        self.project = project
    }

    /// The work for `input`: keyed by the film's digest and the destination, so an unchanged film is
    /// not uploaded again. A destination that is a folder gets `<session>.<ext>`.
    public func work(input: Artifact, session: String) throws -> PublishWork {
        var destination = options.to
        if destination.isPrefix {
            let ext = input.location.fileExtension ?? "mp4"
            destination = destination.appending("\(session).\(ext)")
        }
        var keyed = destination.description
        if let project, case .local(let relative) = Artifact.relative(destination.standardized, to: project),
            relative.hasPrefix(Artifact.projectRelativePrefix)
        {
            keyed = relative
        }
        let key = try ContentKey(
            kind: Self.publishFormatVersion, inputs: ["film": input.digest.description, "destination": keyed])
        return PublishWork(name: name, input: input, key: key, destination: destination)
    }

    /// Puts the film at its destination (a multipart upload when large), with its media type.
    public func make(_ work: PublishWork, stores: StoreCache, workDirectory: URL, copies: LocalCopies? = nil)
        async throws -> Artifact
    {
        let scratch = workDirectory.appendingPathComponent(work.key.hex, isDirectory: true)
        try stores.checkWrite(path: scratch.path)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let local: String
        let madeHere = await copies?.path(for: work.input.digest)
        if let madeHere {
            // Merged and hashed by this run, in its own scratch folder: published as it is, without hashing it again.
            local = madeHere
        } else {
            let ext = FrameName.fileExtension(of: work.destination.description)
            local = try await StoredFile.localCopy(
                of: work.input.location, digest: work.input.digest, in: scratch, as: "film.\(ext)",
                stores: stores, copies: copies)
            // The film may come from a checkpoint: it is published only if it is still the film that was recorded.
            try await StoredFile.verify(local, against: work.input, described: "the film of stage `\(work.input.name)`")
        }
        let (store, key) = try await stores.openForWriting(work.destination)
        // This run's own scratch copy is not needed after: a local destination gets it by a rename, not a copy.
        let moved = try madeHere != nil && (store as? LocalStore)?.move(URL(fileURLWithPath: local), to: key) == true
        if !moved { try await store.put(key, from: URL(fileURLWithPath: local), contentType: ContentTypes.forKey(key)) }
        var published = work.input
        published.location = store.location(of: key)
        try await publishContactSheet(of: work.input, beside: published, stores: stores, scratch: scratch)
        return published
    }

    /// The contact sheet published next to the video, when the merge made one.
    public static func contactSheet(of published: Artifact) -> Location {
        MergeStage.contactSheetLocation(ofFilm: published.location)
    }

    private func publishContactSheet(of film: Artifact, beside video: Artifact, stores: StoreCache, scratch: URL)
        async throws
    {
        let (source, sourceKey) = try await stores.open(MergeStage.contactSheetLocation(ofFilm: film.location))
        let local = scratch.appendingPathComponent("contact.png")
        do {
            try await source.get(sourceKey, to: local)
        } catch StorageError.notFound {
            return  // a film merged before contact sheets existed, or from clips without frames
        }
        try stores.checkWrite(path: local.path)
        let (store, key) = try await stores.openForWriting(Self.contactSheet(of: video))
        try await store.put(key, from: local, contentType: "image/png")
    }

    /// A link to the published film valid for `presign` (nil when the stage asks for none).
    public func link(to published: Artifact, stores: StoreCache) async throws -> (url: URL, expires: Date)? {
        guard let expiry = options.presign else { return nil }
        let (store, key) = try await stores.open(published.location)
        let url = try await store.presignGet(key, expiry: expiry)
        return (url, Date().addingTimeInterval(DurationText.seconds(expiry)))
    }
}
