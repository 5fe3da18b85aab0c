import Testing

@testable import Media

@Suite struct OptionParsingTests {
    @Test func sizeAcceptsWxHAndRunwayRatios() throws {
        #expect(try FrameSize(parsing: "1280x720") == FrameSize(width: 1280, height: 720))
        #expect(try FrameSize(parsing: "1280:720") == FrameSize(width: 1280, height: 720))
        #expect(try FrameSize(parsing: "720X1280") == FrameSize(width: 720, height: 1280))
    }

    @Test(arguments: ["", "1280", "1281x720", "0x0", "12x", "99999x720", "axb"])
    func sizeRefusesNonsense(_ text: String) {
        #expect(throws: MediaError.self) { try FrameSize(parsing: text) }
    }

    @Test func transitionParsesCrossfadeSeconds() throws {
        #expect(try Transition(parsing: "crossfade:0.5") == .crossfade(seconds: 0.5))
        #expect(throws: MediaError.self) { try Transition(parsing: "wipe:1") }
        #expect(throws: MediaError.self) { try Transition(parsing: "crossfade:-1") }
    }

    @Test func qualityMapsToCRF() {
        #expect(MergeOptions(quality: 0.75).x264CRF == 23)
        #expect(MergeOptions(quality: 1.0).x264CRF == 18)
        #expect(MergeOptions(quality: 0.1).x264CRF == 36)
    }
}
