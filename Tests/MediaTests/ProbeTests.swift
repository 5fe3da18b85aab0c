import Testing

@testable import Media

@Suite struct ProbeTests {
    let fixtures = Fixtures.shared

    @Test func describesContainerStreamsAndAudio() throws {
        let info = try MediaProbe.probe(path: fixtures.withAudio[0])
        #expect(info.container.contains("mp4"))
        #expect(abs(info.duration - 1.0) < 0.05)
        let video = try #require(info.video)
        #expect(video.codec == "h264")
        #expect(video.width == 320 && video.height == 240)
        #expect(video.frameRate == 24)
        #expect(video.pixelFormat == "yuv420p")
        #expect(video.profile != nil)
        #expect(video.timeBase.hasPrefix("1/"))
        #expect(info.hasAudio)
        #expect(info.audio?.codec == "aac")
        #expect(info.audio?.sampleRate == 48000)
    }

    @Test func reportsNoAudioForSilentClip() throws {
        let info = try MediaProbe.probe(path: fixtures.silent[0])
        #expect(!info.hasAudio)
        #expect(info.streams.count == 1)
    }

    @Test func missingFileIsNamed() {
        let path = fixtures.file("nowhere.mp4")
        #expect(throws: MediaError.fileNotFound(path: path)) { try MediaProbe.probe(path: path) }
    }

    @Test func textFileNamedMP4IsNotMedia() {
        do {
            _ = try MediaProbe.probe(path: fixtures.textFile)
            Issue.record("probe accepted a text file")
        } catch {
            guard case .notMedia(let path, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == fixtures.textFile)
            #expect(error.description.contains(fixtures.textFile))
            #expect(error.isInvalidInput)
        }
    }

    @Test(arguments: [false, true])
    func halfAnMP4IsRefusedNamingIt(moovFirst: Bool) {
        let path = moovFirst ? fixtures.halfFaststart : fixtures.half
        do {
            _ = try MediaProbe.probe(path: path)
            Issue.record("probe accepted a truncated file")
        } catch {
            switch error {
            case .truncated(let named, _), .notMedia(let named, _): #expect(named == path)
            default: Issue.record("wrong error \(error)")
            }
            #expect(error.description.contains(path))
        }
    }
}
