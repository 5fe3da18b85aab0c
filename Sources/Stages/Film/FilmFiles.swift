import Foundation
import Manifest
import Media
import Storage

/// The shared work of a film stage's item: its own files' digests, and the film made from the input film.
enum FilmFiles {
    /// What identifies `file`'s content: a local file's SHA-256 (after the boundary check), an S3 object's ETag.
    /// Throws unless `path` lies inside `boundary` and names a readable file.
    static func checkReadable(_ path: String, role: String, boundary: FileInputBoundary) throws(StageError) {
        try boundary.check(path, role: role)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw StageError.unreadable(
                path: InertText.escaped(path),
                reason: "`\(role)` names no readable file; check the path in the manifest")
        }
    }

    static func digest(of file: FilmFile, boundary: FileInputBoundary, stores: StoreCache) async throws
        -> ContentDigest
    {
        switch file.location {
        case .local(let path):
            try checkReadable(path, role: file.role, boundary: boundary)
            let hex = try await BlockingWork.run { _ in try SHA256Digest.hex(ofFile: path) }
            return .sha256(hex)
        case .s3:
            let (store, key) = try await stores.open(file.location)
            do {
                let info = try await store.head(key)
                return ContentDigest(etag: info.etag, size: info.size)
            } catch StorageError.notFound {
                throw StageError.unreadable(
                    path: InertText.escaped(file.location.description),
                    reason: "`\(file.role)` names no object; check the location in the manifest")
            }
        }
    }

    /// Fetches the input film (this run's own copy when it made it) and the stage's files, renders the film off the
    /// cooperative pool, and stores it at the item's output (remembered in `copies` for a publish in the same run),
    /// with the input film's contact sheet beside it.
    static func make<Stage: FilmStage>(_ work: FilmWork, stage: Stage, in context: StageContext, run: any ItemRun)
        async throws -> Artifact
    {
        let stores = context.stores
        let scratch = context.scratch.appendingPathComponent(work.key.hex, isDirectory: true)
        try stores.checkWrite(path: scratch.path)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ext = work.output.fileExtension ?? "mp4"
        run.status(.running(progress: 0))
        let madeHere = await context.copies.path(for: work.film.digest)
        let film: String
        if let madeHere {
            film = madeHere  // made and hashed by this run
        } else {
            let described = "the film of stage `\(work.film.name)`"
            do {
                film = try await StoredFile.localCopy(
                    of: work.film.location, in: scratch, as: "film.\(ext)", stores: stores)
            } catch StorageError.notFound {
                throw StageError.goneSinceRecorded(what: described, location: work.film.location.description)
            }
            // The film may come from a checkpoint: it is used only if it is still the film that was recorded.
            try await StoredFile.verify(film, against: work.film, described: described)
        }
        let boundary = FileInputBoundary(project: stage.project, environment: context.environment)
        var files: [String: String] = [:]
        for (index, entry) in work.files.enumerated() {
            switch entry.file.location {
            case .local(let path):
                try boundary.check(path, role: entry.file.role)  // again: a link may have been planted since the plan
                files[entry.file.role] = path
            case .s3:
                let name = "file-\(index).\(FrameName.fileExtension(of: entry.file.location.description))"
                files[entry.file.role] = try await StoredFile.localCopy(
                    of: entry.file.location, in: scratch, as: name, stores: stores)
            }
        }
        let output = context.scratch.appendingPathComponent("\(work.key.hex).\(ext)")
        try stores.checkWrite(path: output.path)
        let job = FilmJob(film: film, fileExtension: ext, files: files, output: output.path, scratch: scratch.path)
        let warnings = try await BlockingWork.run { shouldStop in try stage.render(job, shouldStop: shouldStop) }
        for warning in warnings { run.warning("stage `\(stage.name)`: \(warning)") }
        run.status(.running(progress: 1))
        let made = try await StoredFile.store(
            output, at: work.output, name: stage.name, contentType: ContentTypes.forKey(output.path), stores: stores,
            checkWhileStoring: true)
        await context.copies.remember(output.path, digest: made.digest)
        await copyContactSheet(from: work.film, to: made, stores: stores, scratch: scratch)
        var artifact = made
        artifact.source = work.film.source
        return artifact
    }

    /// The input film's contact sheet put beside the output, so that a publish of the output publishes it too. The
    /// film is what was asked for: a sheet that cannot be copied is left out.
    private static func copyContactSheet(from film: Artifact, to made: Artifact, stores: StoreCache, scratch: URL)
        async
    {
        let local = scratch.appendingPathComponent("contact.png")
        do {
            let (source, sourceKey) = try await stores.open(MergeStage.contactSheetLocation(ofFilm: film.location))
            _ = try await source.get(sourceKey, to: local)
            let (store, key) = try await stores.openForWriting(MergeStage.contactSheetLocation(ofFilm: made.location))
            try await store.put(key, from: local, contentType: "image/png")
        } catch {
            return
        }
    }
}
