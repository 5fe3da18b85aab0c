import Foundation
import TestSupport
import Testing

/// `runner runway FRAME... -o DIR` against the Runway double: the catalog's models with their options (a sound track
/// priced as Runway prices it), and what a model does not take refused as usage (exit 2) before anything is paid.
@Suite struct RunwayCommandTests {
    static let frame = PackagePaths.root.appendingPathComponent("examples/frames/frame_01_dawn.jpg").path

    static func runway(_ tenant: DoubleTenant, _ arguments: [String]) throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["RUNWAYML_BASE_URL"] = tenant.base.absoluteString
        environment["RUNWAYML_API_SECRET"] = tenant.key
        return try run(PackagePaths.runner, ["runway"] + arguments, environment: environment)
    }

    @Test func veoWithASoundTrackIsPricedWithItAndUsesTheModelsOwnDuration() async throws {
        let tenant = try await DoubleTenant.make()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try Self.runway(
            tenant,
            [
                Self.frame, "-o", folder.path, "--model", "veo3.1", "--audio", "--prompt", "Dawn", "--poll-interval",
                "50ms",
            ])
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("frame_01_dawn.mp4").path))
        let tasks = try #require(try await tenant.stats()["tasks"] as? [String: [String: Any]])
        let task = try #require(tasks.values.first)
        // veo3.1's default duration is 8 s; with sound, 40 credits a second.
        #expect(task["model"] as? String == "veo3.1")
        #expect(task["duration"] as? Int == 8)
        #expect(task["estimatedCost"] as? Int == 320, "\(task)")
    }

    @Test(arguments: [
        (["--audio"], "--audio: gen4_turbo makes no sound; it is an option of veo3.1, veo3.1_fast"),
        (["--model", "gen3a_turbo"], "--model gen3a_turbo: Runway no longer offers gen3a_turbo"),
        (["--model", "sora"], "--model sora is not a Runway model the runner knows; use one of gen4_turbo"),
        (["--ratio", "1920:1080"], "--ratio 1920:1080 is not a ratio of gen4_turbo; it takes"),
        (["--duration", "11"], "--duration 11 is not a duration of gen4_turbo; it takes"),
        (["--model", "gen4.5"], "gen4.5 needs a --prompt"),
    ])
    func whatAModelDoesNotTakeIsRefusedBeforeAnythingIsPaid(extra: [String], message: String) async throws {
        let tenant = try await DoubleTenant.make()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try Self.runway(tenant, [Self.frame, "-o", folder.path] + extra)
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains(message), "\(refused.stderr)")
        #expect(try await tenant.stats()["tasksCreated"] as? Int == 0)
    }
}
