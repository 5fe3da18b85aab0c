import Foundation
import Manifest
import Storage

/// What every film stage shares: one film in, one film out, kept beside the stage's records.
extension FilmStage {
    /// One film at a time, on this machine.
    public var schedule: StageSchedule { StageSchedule(typicalSeconds: 5) }

    public var waitingNote: String { "the film it needs is not made yet" }

    /// `music, 20 voice clips; stream-copies the picture`.
    public func summary(lanes: Int, fromAccount: Bool) -> String {
        optionsSummary.isEmpty ? picture.planText : "\(optionsSummary); \(picture.planText)"
    }

    /// The one film made from the film it needs (its first input), keyed by that film's digest, the stage's
    /// options and the content of its own files; throws when there is no film, or an own file cannot be read.
    public func items(from inputs: [Artifact], in context: StageContext) async throws -> [FilmWork] {
        guard let film = inputs.first else {
            throw StageError.unreadable(
                path: "the film stage `\(name)` needs", reason: "the stage it needs made no film")
        }
        let boundary = FileInputBoundary(project: project, environment: context.environment)
        var files: [DigestedFile] = []
        for file in ownFiles {
            files.append(
                DigestedFile(
                    file: file, digest: try await FilmFiles.digest(of: file, boundary: boundary, stores: context.stores)
                ))
        }
        var inputs = keyedOptions
        inputs["film"] = film.digest.description
        for entry in files { inputs["file." + entry.file.role] = entry.digest.description }
        let key = try ContentKey(kind: Self.formatVersion, inputs: inputs)
        let ext = film.location.fileExtension ?? "mp4"
        return [
            FilmWork(
                name: name, film: film, files: files, key: key,
                output: context.stateFolder.appending("\(key.hex).\(ext)"), note: picture.planText)
        ]
    }

    /// Each own file with its digest now, as `items(from:in:)` keys it (nil where it cannot be read).
    public func ownFileDigests(in context: StageContext) async -> [OwnFileDigest] {
        let boundary = FileInputBoundary(project: project, environment: context.environment)
        var digests: [OwnFileDigest] = []
        for file in ownFiles {
            let digest = try? await FilmFiles.digest(of: file, boundary: boundary, stores: context.stores)
            digests.append(OwnFileDigest(role: file.role, location: file.location, digest: digest))
        }
        return digests
    }

    /// Each local own file lies inside the project (or a trusted folder) and is readable; S3 files are looked at
    /// when the stage's key is made.
    public func checkOwnFiles(in context: StageContext) throws {
        try checkOwnFilesInBoundary(in: context)
    }

    /// `checkOwnFiles`' part every film stage shares, for a stage that checks more.
    func checkOwnFilesInBoundary(in context: StageContext) throws {
        let boundary = FileInputBoundary(project: project, environment: context.environment)
        for file in ownFiles {
            guard case .local(let path) = file.location else { continue }
            try FilmFiles.checkReadable(path, role: file.role, boundary: boundary)
        }
    }

    /// Renders the film, telling `run` how far it got and any warning.
    public func make(_ item: FilmWork, in context: StageContext, run: any ItemRun) async throws(ItemFailure)
        -> MadeItem
    {
        do {
            return MadeItem(try await FilmFiles.make(item, stage: self, in: context, run: run))
        } catch {
            throw ItemFailure.mapping(error)
        }
    }
}
