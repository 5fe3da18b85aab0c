import Foundation
import Manifest
import Media
import Stages

/// `prepare_merge` with `videoClipUrls`: the clips, which must lie in the user's own clips folder (the template's
/// generate `to`), are fetched, merged on the server (losslessly when they match, `ClipMerger`) and uploaded to the
/// template's publish `to` for the session (`video-clips/{userId}/final_video_{sessionId}.mp4`).
struct ClipsMerge: Sendable {
    let template: ServeTemplate
    let stores: StoreCache
    let scratch: URL

    /// The most clips one merge takes.
    static let maximumClips = 500

    /// Containers libavformat reads stills from (its image demuxers), never a clip's.
    static let stillContainers: Set<String> = [
        "image2", "jpeg_pipe", "png_pipe", "webp_pipe", "gif", "gif_pipe", "bmp_pipe", "tiff_pipe", "heif",
    ]

    /// Merges the clips at `urls`, in order, and returns where the film is.
    func merge(_ urls: [String], user: UserID, session: String) async throws -> String {
        guard urls.count <= Self.maximumClips else {
            throw ServeError.field("videoClipUrls", "has \(urls.count) clips; give at most \(Self.maximumClips)")
        }
        let pipeline = try template.pipeline(for: RunVariables(user: user, session: session), requireEnvironment: false)
        var folder: Location?
        var destination: Location?
        for stage in pipeline.orderedStages {
            if case .generate(let options) = stage.kind, folder == nil { folder = options.to }
            if case .publish(let options) = stage.kind, destination == nil { destination = options.to }
        }
        guard let folder = folder?.resolved(against: pipeline.directory) else {
            throw ServeError.template("the template has no generate stage, so it names no clips folder to merge from")
        }
        var film = destination?.resolved(against: pipeline.directory) ?? folder.appending("final_video_\(session).mp4")
        if film.description.hasSuffix("/") { film = film.appending("\(session).mp4") }
        let (store, prefix) = try await stores.open(folder)
        var keys: [String] = []
        for (index, url) in urls.enumerated() {
            keys.append(try ClipURL.key(of: url, in: folder, prefix: prefix, field: "videoClipUrls[\(index)]"))
        }
        let work = scratch.appendingPathComponent("runner-merge-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var inputs: [String] = []
        for (index, key) in keys.enumerated() {
            let file = work.appendingPathComponent("clip-\(index).mp4")
            do { try await store.get(key, to: file) } catch {
                throw ServeError.field("videoClipUrls[\(index)]", "cannot be read: \(error)")
            }
            // A clip is a video: a still (a prepared frame's JPEG) would merge as a one-frame film.
            let path = file.path
            let probed = try? await BlockingWork.run { _ in try MediaProbe.quickProbe(path: path) }
            guard let probed, probed.video != nil, !Self.stillContainers.contains(probed.container) else {
                throw ServeError.field("videoClipUrls[\(index)]", "is not a video clip; give the clips' own links")
            }
            inputs.append(file.path)
        }
        let output = work.appendingPathComponent("film.mp4").path
        let clips = inputs
        do {
            _ = try await BlockingWork.run { stop in
                try ClipMerger.merge(inputs: clips, output: output, shouldStop: stop)
            }
        } catch {
            throw ServeError.field("videoClipUrls", "do not merge: \(error)")
        }
        let (filmStore, filmKey) = try await stores.openForWriting(film)
        try await filmStore.put(filmKey, from: URL(fileURLWithPath: output), contentType: "video/mp4")
        return film.description
    }
}

/// A clip's URL as a client holds it (an `s3://` URI, or an S3 link: path-style or virtual-hosted, presigned or
/// not), mapped back to its key, which must lie under the user's clips prefix.
enum ClipURL {
    static func key(of text: String, in folder: Location, prefix: String, field: String) throws(ServeError) -> String {
        guard case .s3(let bucket, _) = folder else {
            throw .template("prepare_merge with videoClipUrls needs the template's clips in S3")
        }
        var key: String?
        if text.hasPrefix("s3://") {
            if case .s3(let given, let path)? = try? Location(parsing: text), given == bucket { key = path }
        } else if let components = URLComponents(string: text), let host = components.host,
            components.scheme == "https" || components.scheme == "http"
        {
            let path = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
            if host.hasPrefix(bucket + ".") {
                key = path
            } else if path.hasPrefix(bucket + "/") {
                key = String(path.dropFirst(bucket.count + 1))
            }
        }
        guard let key, key.hasPrefix(prefix), !key.split(separator: "/").contains(".."), key.count > prefix.count
        else {
            throw .forbidden(
                "`\(field)` is not a clip in this user's folder (\(folder)); give the URLs generate_videos answered")
        }
        return key
    }
}
