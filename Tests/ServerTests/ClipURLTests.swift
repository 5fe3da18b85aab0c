import Manifest
import Testing

@testable import Server

/// `prepare_merge`'s clip URLs map back to keys only inside the user's clips folder.
@Suite struct ClipURLTests {
    static let folder = Location.s3(bucket: "media", key: "video-clips/alice/")

    static func key(_ url: String) throws(ServeError) -> String {
        try ClipURL.key(of: url, in: folder, prefix: "video-clips/alice/", field: "videoClipUrls[0]")
    }

    @Test func linksAndURIsOfTheUsersClipsMapToTheirKeys() throws {
        let expected = "video-clips/alice/frame_1-0c1d.mp4"
        #expect(try Self.key("s3://media/video-clips/alice/frame_1-0c1d.mp4") == expected)
        #expect(
            try Self.key("http://127.0.0.1:5000/media/video-clips/alice/frame_1-0c1d.mp4?X-Amz-Signature=ab")
                == expected)
        #expect(try Self.key("https://media.s3.us-east-1.amazonaws.com/video-clips/alice/frame_1-0c1d.mp4") == expected)
        #expect(
            try Self.key("https://s3.amazonaws.com/media/video-clips/alice/frame%201.mp4")
                == "video-clips/alice/frame 1.mp4")
    }

    @Test func anythingElseIsRefused() {
        for url in [
            "s3://media/video-clips/bob/frame_1.mp4", "s3://other/video-clips/alice/frame_1.mp4",
            "https://media.s3.amazonaws.com/video-clips/alice/../bob/frame_1.mp4",
            "https://media.s3.amazonaws.com/video-clips/alice%2F..%2Fbob/x.mp4",
            "https://evil.example/media/video-clips/alicex/frame.mp4", "file:///etc/passwd", "video-clips/alice/x.mp4",
            "s3://media/video-clips/alice/", "",
        ] {
            #expect(throws: ServeError.self, "\(url)") { try Self.key(url) }
        }
    }
}
