import Foundation
import Storage
import TestSupport
import Testing

/// Projects move (issue #15, reproduction 5): `apply`, then the folder moved (or cloned elsewhere, as CI checkouts
/// are). Local locations in checkpoint records are relative to the project, so the moved project plans nothing and
/// pays for nothing, with its state in the project or in S3; records with absolute paths are still read.
@Suite(.serialized) struct MovedProjectTests {
    static func manifest(state: String) -> String {
        """
        version: 1
        name: moved
        state: \(state)
        providers:
          runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", concurrency: 2, pollInterval: 50ms }
        stages:
          frames:  { type: frames, from: ./frames/ }
          clips:   { type: generate, needs: [frames], provider: runway, model: gen4_turbo, ratio: "1280:720", duration: 5, seed: 7, to: ./out/clips/ }
          film:    { type: merge, needs: [clips] }
          publish: { type: publish, needs: [film], to: ./out/film.mp4 }
        """
    }

    /// Applies in one folder, moves it, and checks plan and apply in the new one.
    func applyMoveAndCheck(state: (_ bucket: String) -> String) async throws {
        var project = try PipelineProject.make(frames: 2)
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Self.manifest(state: state(cloud.bucket)))
        let first = try project.runner("apply", project.manifest)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try await cloud.tasksCreated() == 2)
        let outputs = project.files(under: "out")

        // Moved to another path, as a re-clone or another CI checkout would put it.
        let moved = try temporaryFolder().appendingPathComponent("checkout")
        try FileManager.default.moveItem(at: project.folder, to: moved)
        let there = PipelineProject(folder: moved, environment: project.environment)
        defer { there.remove() }
        let plan = try there.runner("plan", there.manifest, "--detailed-exitcode")
        #expect(plan.status == 0, "the moved project plans work:\n\(plan.stdout)\(plan.stderr)")
        #expect(!plan.stdout.contains("gone"), "\(plan.stdout)")
        let again = try there.runner("apply", there.manifest)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await cloud.tasksCreated() == 2, "the moved project paid again")
        #expect(there.files(under: "out") == outputs, "outputs were made again")
    }

    @Test func aMovedProjectWithLocalStatePlansNothingAndPaysNothing() async throws {
        try await applyMoveAndCheck { _ in "./.runner/state/" }
    }

    @Test func aMovedProjectWithS3StatePlansNothingAndPaysNothing() async throws {
        try await applyMoveAndCheck { bucket in "s3://\(bucket)/state/" }
    }

    /// Records hold project-relative locations, and a record written with an absolute path (by the runner before
    /// this change) is still read where the project has not moved.
    @Test func recordsStoreRelativeLocationsAndOldAbsoluteOnesStillCount() async throws {
        var project = try PipelineProject.make(frames: 2)
        defer { project.remove() }
        let cloud = try await Cloud.make(for: &project)
        try project.write(manifest: Self.manifest(state: "./.runner/state/"))
        #expect(try project.runner("apply", project.manifest).status == 0)
        let records = project.files(under: ".runner/state/moved/clips").keys.filter { $0.hasSuffix(".json") }.sorted()
        #expect(records.count == 2)
        for record in records {
            let text = try String(contentsOfFile: project.path(record), encoding: .utf8)
            #expect(text.contains("\"location\" : \"./out/clips/"), "\(text)")
            #expect(!text.contains(project.folder.path), "\(text)")
            // Rewritten as the earlier runner wrote it: absolute paths.
            let absolute = text.replacingOccurrences(of: "\"./", with: "\"\(project.folder.path)/")
            try absolute.write(toFile: project.path(record), atomically: true, encoding: .utf8)
        }
        let plan = try project.runner("plan", project.manifest, "--detailed-exitcode")
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(try await cloud.tasksCreated() == 2)
    }
}
