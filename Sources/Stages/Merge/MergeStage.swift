import Foundation
import Manifest
import Media
import Storage

/// The one work item of a merge: its clips in order, its key and where the film is kept.
public struct MergeWork: Sendable {
    /// The stage's name: a merge's one item is named as its stage.
    public let name: String
    public let inputs: [Artifact]
    public let key: ContentKey
    /// Where the merged film is kept until it is published: beside the stage's checkpoint records.
    public let output: Location
    /// The transition at each join (key: the 0-based index of the clip the join comes after); none: a plain join.
    public let transitions: [Int: Manifest.Transition]
}

/// A `merge` stage: its inputs' clips joined, in `needs` order, losslessly when they allow it.
public struct MergeStage: Sendable {
    /// The version of the merge the runner makes; raising it merges again.
    /// v2: the film carries a chapter per clip, titled by its frame.
    public static let mergeFormatVersion = "merge-v2"

    public let name: String
    public let options: Manifest.MergeOptions

    /// The stage named `name` with its options.
    public init(name: String, options: Manifest.MergeOptions) {
        self.name = name
        self.options = options
    }

    /// The file extension of the film.
    public var fileExtension: String { options.format.rawValue }

    /// The work for `inputs` (their digests are the key: the same clips and options give the same film),
    /// kept in `folder`.
    public func work(inputs: [Artifact], folder: Location) throws -> MergeWork {
        var settings = [
            "clips": inputs.map(\.digest.description).joined(separator: ","),
            "mode": options.mode.rawValue,
            "format": options.format.rawValue,
            "quality": String(options.quality),
            "fps": options.fps.map { String($0) } ?? "",
            "size": options.size?.description ?? "",
        ]
        if let transition = options.transition {
            settings["transition"] = "\(transition.kind.rawValue):\(transition.duration)"
        }
        // Each join's transition, so a changed one merges again (and nothing else is made again).
        let transitions = try joinTransitions(for: inputs)
        if !options.transitions.isEmpty {
            settings["joins"] = transitions.keys.sorted().compactMap { index in
                transitions[index].map { "\(index)=\($0.kind.rawValue):\($0.duration)" }
            }.joined(separator: ",")
        }
        let key = try ContentKey(kind: Self.mergeFormatVersion, inputs: settings)
        return MergeWork(
            name: name, inputs: inputs, key: key, output: folder.appending("\(key.hex).\(fileExtension)"),
            transitions: transitions)
    }

    /// Where the contact sheet of a film is kept: beside it, `<film>.contact.png`.
    public static func contactSheetLocation(ofFilm film: Location) -> Location {
        switch film.droppingFileExtension {
        case .s3(let bucket, let key): return .s3(bucket: bucket, key: key + ".contact.png")
        case .local(let path): return .local(path: path + ".contact.png")
        }
    }

    /// Fetches the clips that are not local, merges them (off the cooperative pool; cancellable), and
    /// stores the film and its contact sheet (each frame beside its clip's middle frame, made here
    /// where the clips are on disk). `progress` gets the clips merged so far.
    /// The film stays in `workDirectory` and is remembered in `copies`, for a publish in the same run.
    /// A contact sheet that cannot be made is reported to `warning`, not fatal: the film is what was asked for.
    /// A `session` that made the film of exactly these clips while they landed hands it over (the same bytes
    /// and sheet); otherwise the film is merged here from the clips, as without one.
    public func make(
        _ work: MergeWork, stores: StoreCache, workDirectory: URL, copies: LocalCopies? = nil,
        session: Session? = nil, warning: @escaping @Sendable (String) -> Void = { _ in },
        progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> Artifact {
        guard !work.inputs.isEmpty else { throw StageError.nothingToMerge(stage: name) }
        if let session {
            if let made = await session.film(for: work) {
                do {
                    let film = try await store(
                        made, of: work, session: session, stores: stores, workDirectory: workDirectory,
                        copies: copies, warning: warning)
                    progress(work.inputs.count, work.inputs.count)
                    await session.close()
                    return film
                } catch {
                    await session.close()
                    throw error
                }
            }
            await session.close()
        }
        let scratch = workDirectory.appendingPathComponent(work.key.hex, isDirectory: true)
        try stores.checkWrite(path: scratch.path)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var paths: [String] = []
        for (index, clip) in work.inputs.enumerated() {
            // A clip's name is its frame's: a clip gone since it was recorded is named by the frame it is made from.
            let described = "the clip of \(InertText.escaped(clip.name))"
            let path: String
            do {
                path = try await StoredFile.localCopy(
                    of: clip.location, in: scratch, as: "clip-\(index).mp4", stores: stores)
            } catch StorageError.notFound {
                throw StageError.goneSinceRecorded(what: described, location: clip.location.description)
            }
            // Clips may come from checkpoints: each is merged only if it is still the clip that was recorded.
            try await StoredFile.verify(path, against: clip, described: described)
            paths.append(path)
        }
        let output = workDirectory.appendingPathComponent("\(work.key.hex).\(fileExtension)")
        try stores.checkWrite(path: output.path)
        let media = try mediaOptions(transitions: work.transitions)
        let clips = paths
        // Each clip's span becomes a chapter titled by its frame: the stages after the merge place things per frame.
        let titles = work.inputs.map(\.name)
        let report = try await BlockingWork.run { shouldStop in
            try ClipMerger.merge(
                inputs: clips, output: output.path, options: media, titles: titles,
                progress: { progress($0.clipsDone, $0.clipCount) }, shouldStop: shouldStop)
        }
        // `auto` re-encodes clips a copy would play wrongly (rotation, edit lists, audio): say which and why.
        if media.mode == .auto, report.mode == .reencode, media.size == nil, media.fps == nil {
            warning(
                media.hasTransitions
                    ? "stage `\(name)` re-encoded the whole film, not only its joins: \(report.reason)"
                    : "stage `\(name)` re-encoded instead of copying: \(report.reason)")
        }
        let film = try await StoredFile.store(
            output, at: work.output, name: name, contentType: ContentTypes.forKey(output.path),
            stores: stores)
        await copies?.remember(output.path, digest: film.digest)
        do {
            try await storeContactSheet(work, clips: paths, film: film, stores: stores, scratch: scratch)
        } catch {
            if Task.isCancelled { throw error }
            warning("the contact sheet of stage `\(name)` could not be made: \(error)")
        }
        return film
    }

    /// Stores the film a session made, and its contact sheet (made from the session's rows, or here when it has none).
    private func store(
        _ made: Session.Film, of work: MergeWork, session: Session, stores: StoreCache, workDirectory: URL,
        copies: LocalCopies?, warning: @escaping @Sendable (String) -> Void
    ) async throws -> Artifact {
        let output = workDirectory.appendingPathComponent("\(work.key.hex).\(fileExtension)")
        try stores.checkWrite(path: output.path)
        try LocalFiles.rename(made.path, to: output.path)
        let film = try await StoredFile.store(
            output, at: work.output, name: name, contentType: ContentTypes.forKey(output.path),
            stores: stores, checkWhileStoring: true)
        await copies?.remember(output.path, digest: film.digest)
        do {
            if let sheet = await session.contactSheet() {
                let (store, key) = try await stores.openForWriting(Self.contactSheetLocation(ofFilm: film.location))
                try await store.put(key, from: URL(fileURLWithPath: sheet), contentType: "image/png")
            } else {
                let scratch = workDirectory.appendingPathComponent(work.key.hex, isDirectory: true)
                try stores.checkWrite(path: scratch.path)
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: scratch) }
                try await storeContactSheet(work, clips: made.clips, film: film, stores: stores, scratch: scratch)
            }
        } catch {
            if Task.isCancelled { throw error }
            warning("the contact sheet of stage `\(name)` could not be made: \(error)")
        }
        return film
    }

    private func storeContactSheet(_ work: MergeWork, clips: [String], film: Artifact, stores: StoreCache, scratch: URL)
        async throws
    {
        // A long film's sheet shows a sample: only the frames of the rows shown are fetched.
        var pairs: [(frame: String, clip: String, number: Int)] = []
        for index in Thumbnails.sample(clips.count) {
            guard let source = work.inputs[index].source else { continue }
            let ext = FrameName.fileExtension(of: source.description)
            let frame = try await StoredFile.localCopy(
                of: source, in: scratch, as: "frame-\(index).\(ext)", stores: stores)
            pairs.append((frame, clips[index], index + 1))
        }
        guard !pairs.isEmpty else { return }
        let sheet = scratch.appendingPathComponent("contact.png")
        let rows = pairs
        try await BlockingWork.run { _ in try Thumbnails.framesBesideClips(rows, output: sheet.path) }
        let (store, key) = try await stores.openForWriting(Self.contactSheetLocation(ofFilm: film.location))
        try await store.put(key, from: sheet, contentType: "image/png")
    }

    /// The manifest's options as the media engine takes them, with each join's transition (`joinTransitions`).
    func mediaOptions(transitions: [Int: Manifest.Transition] = [:]) throws -> Media.MergeOptions {
        var media = Media.MergeOptions(quality: options.quality)
        switch options.mode {
        case .auto: media.mode = .auto
        case .copy: media.mode = .copy
        case .reencode: media.mode = .reencode
        }
        media.format = options.format == .webm ? .webm : .mp4
        media.fps = options.fps
        media.size = options.size.map { FrameSize(width: $0.width, height: $0.height) }
        media.transition = options.transition.map(Self.media)
        // Every join's transition is given one by one (no stage-wide default left to apply): a join without one is plain.
        if !options.transitions.isEmpty {
            media.transition = nil
            media.joinTransitions = transitions.mapValues(Self.media)
        }
        return media
    }

    /// A manifest transition as the media engine takes it.
    static func media(_ transition: Manifest.Transition) -> Media.Transition {
        let kind: Media.Transition.Kind
        switch transition.kind {
        case .crossfade: kind = .crossfade
        case .dipToBlack: kind = .dipToBlack
        case .wipeLeft: kind = .wipeLeft
        case .wipeRight: kind = .wipeRight
        case .slideLeft: kind = .slideLeft
        case .slideRight: kind = .slideRight
        }
        return Media.Transition(kind, seconds: transition.duration)
    }
}
