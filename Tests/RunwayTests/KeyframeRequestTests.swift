import Foundation
import Manifest
import Runway
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A chained clip's request (issue #18): both keyframes, in order, as the double (checked with the official SDK)
/// receives them; refused before any paid call on a model without a `last` keyframe.
@Suite struct KeyframeRequestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func frame(_ name: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent("examples/frames/\(name)"))
    }

    static func dataURI(_ data: Data) -> String { "data:image/jpeg;base64," + data.base64EncodedString() }

    static func chained(model: String, duration: Int) throws -> ImageToVideoRequest {
        var request = ImageToVideoRequest(
            model: model, promptImage: dataURI(try frame("frame_01_dawn.jpg")),
            ratio: Ratio(width: 1280, height: 720), duration: duration, promptText: "A slow dolly",
            audio: model.hasPrefix("veo") ? false : nil)
        request.lastKeyframe = dataURI(try frame("frame_02_fractal.jpg"))
        return request
    }

    /// The SHA-256 of `data` by the sha256sum program.
    static func sha256(_ data: Data) throws -> String {
        let file = try temporaryFolder().appendingPathComponent("image")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try data.write(to: file)
        return String(try run("/usr/bin/env", ["sha256sum", file.path]).stdout.prefix(64))
    }

    @Test func theBodyCarriesFirstThenLastKeyframe() throws {
        let request = try Self.chained(model: "veo3.1_fast", duration: 4)
        let body = try #require(try JSONSerialization.jsonObject(with: request.jsonBody()) as? [String: Any])
        let images = try #require(body["promptImage"] as? [[String: String]])
        #expect(images.map { $0["position"] } == ["first", "last"])
        #expect(images.map { $0["uri"] } == [request.promptImage, request.lastKeyframe])
        #expect(images.allSatisfy { $0.count == 2 })
        #expect(body["audio"] as? Bool == false && body["model"] as? String == "veo3.1_fast")
    }

    @Test func anUnchainedBodyStillSendsOneURI() throws {
        let request = generation()
        let body = try #require(try JSONSerialization.jsonObject(with: request.jsonBody()) as? [String: Any])
        #expect(body["promptImage"] as? String == promptImage)
    }

    @Test func veoAcceptsBothKeyframesAndTheDoubleReceivesThemInOrder() async throws {
        let tenant = try await DoubleTenant.make()
        let submission = try await tenant.client().submit(try Self.chained(model: "veo3.1", duration: 4))
        #expect(submission.estimatedCredits == 80)
        let tasks = try #require(try await tenant.stats()["tasks"] as? [String: [String: Any]])
        let keyframes = try #require(tasks[submission.id]?["keyframes"] as? [[String: String]])
        #expect(keyframes.map { $0["position"] } == ["first", "last"])
        #expect(
            keyframes.map { $0["sha256"] } == [
                try Self.sha256(try Self.frame("frame_01_dawn.jpg")),
                try Self.sha256(try Self.frame("frame_02_fractal.jpg")),
            ])
    }

    @Test func gen4TurboWithALastKeyframeIsRefusedBeforeAnyPaidCall() async throws {
        let tenant = try await DoubleTenant.make()
        let request = try Self.chained(model: "gen4_turbo", duration: 5)
        do {
            _ = try await tenant.client().submit(request)
            Issue.record("gen4_turbo took a last keyframe")
        } catch {
            #expect(
                "\(error)".contains(
                    "gen4_turbo cannot end a clip on a given image (a `last` keyframe); the models that can are "
                        + "veo3.1, veo3.1_fast"), "\(error)")
        }
        let stats = try await tenant.stats()
        #expect(stats["tasksCreated"] as? Int == 0)
        #expect((stats["rejected"] as? [String: Int] ?? [:]).isEmpty, "the request reached the API: \(stats)")
    }

    /// The double is as strict as the API: a gen4_turbo request with a last keyframe that skips the client's own check
    /// is refused with a 400, and creates no task.
    @Test func theDoubleRefusesALastKeyframeOnGen4Turbo() async throws {
        let tenant = try await DoubleTenant.make()
        var request = URLRequest(url: tenant.base.appendingPathComponent("v1/image_to_video"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(tenant.key)", forHTTPHeaderField: "Authorization")
        request.setValue("2024-11-06", forHTTPHeaderField: "X-Runway-Version")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try Self.chained(model: "gen4_turbo", duration: 5).jsonBody()
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 400)
        #expect(String(decoding: data, as: UTF8.self).contains("position"), "\(String(decoding: data, as: UTF8.self))")
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 0)
    }
}
