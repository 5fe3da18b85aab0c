import Foundation

/// The original API's request (`/api/process_s3_video_workflow`), from a JSON body or the query string.
struct OriginalRequest: Decodable, Sendable {
    var action: String?
    var userId: String?
    var sessionId: String?
    var frameAspectRatio: String?
    var prompt: String?
    /// Clips in flight (the original made batches of this size).
    var batchSize: Int?
    /// false: answer at once with the run's id instead of waiting for it.
    var wait: Bool?
    var videoClipUrls: [String]?
}

/// `list_frames`' answer: `success`, `totalFrames`, `frames`.
struct FramesAnswer: Encodable {
    struct Frame: Encodable {
        /// The object's key (`reference-frames/alice/frame_1.jpg`).
        var key: String
        /// The name under the user's folder.
        var name: String
        var size: Int64
        var lastModified: Date?
        /// A link to the image, valid for a day.
        var url: String?
    }

    var success = true
    var totalFrames: Int
    var frames: [Frame]
}

/// `generate_videos`' and `prepare_merge`' answer: `success` with `data`, or `error`.
struct WorkflowAnswer: Encodable {
    struct Data: Encodable {
        var sessionId: String
        var runId: String?
        var status: RunStatus?
        var totalFrames: Int?
        var completedCount: Int?
        var failedCount: Int?
        var generatedVideoUrls: [String]?
        var mergedVideoUrl: String?
        /// Where to follow the run: its state and its event stream.
        var run: String?
        var events: String?
    }

    var success: Bool
    var data: Data?
    var error: String?
}
