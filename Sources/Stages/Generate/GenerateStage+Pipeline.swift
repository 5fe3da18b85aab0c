import Foundation
import Manifest

extension GenerateStage: PipelineStage {
    /// Under its provider's limit, at the stage's `concurrency` when set.
    public var schedule: StageSchedule {
        StageSchedule(
            provider: provider, model: options.model, concurrency: options.concurrency, typicalSeconds: typicalSeconds)
    }

    /// Clips are listed under `to` at once.
    public var outputListing: Location? { options.to }

    public var waitingNote: String { "its frames are not listed yet" }

    public var skipsFailures: Bool { options.onFailure == .skip }

    /// The clips' folder.
    public var writeLocations: [Location] { [options.to] }

    /// `provider runway (runway), model gen4_turbo with audio, 2 in flight (the account's limit)`; a chained stage
    /// adds `, chained frame to frame` (or `, chained in a loop`).
    public func summary(lanes: Int, fromAccount: Bool) -> String {
        "provider \(provider.name) (\(provider.type.rawValue)), model \(options.model)"
            + (options.audio ? " with audio" : "")
            + (options.chain == .open
                ? ", chained frame to frame" : options.chain == .loop ? ", chained in a loop" : "")
            + ", \(lanes) in flight" + (fromAccount ? " (the account's limit)" : "")
    }

    /// One clip per frame, or per pair of frames in a chain.
    public func items(from inputs: [Artifact], in context: StageContext) throws -> [ClipWork] {
        try work(for: inputs)
    }

    /// Throws when the provider's settings make no generator (an untrusted `baseURL`, an empty key).
    public func check(in context: StageContext) throws {
        _ = try GeneratorRegistry.generator(for: provider, environment: context.environment)
    }

    /// Makes the clip with the provider's generator.
    public func make(_ item: ClipWork, in context: StageContext, run: any ItemRun) async throws(ItemFailure) -> MadeItem
    {
        let generator: any VideoGenerator
        do {
            generator = try GeneratorRegistry.generator(for: provider, environment: context.environment)
        } catch {
            throw ItemFailure(.local, reason: error.description)
        }
        let (clip, result) = try await make(
            item, generator: generator, stores: context.stores, workDirectory: context.scratch,
            resumeTaskID: run.resumedTask, run: run)
        var made = MadeItem(clip)
        made.taskID = result.taskID
        made.chargesKnown = result.chargesKnown
        made.failedAttempts = result.failedAttempts
        made.ambiguousRetries = result.ambiguousRetries
        return made
    }

    /// A rough time per clip for the wall-time estimate.
    var typicalSeconds: Double {
        switch provider.type {
        // Runway's Gen-4 tasks typically take from half a minute to a minute and a half.
        case .runway: return 60
        // Measured here: about 0.3 s of rendering and encoding per second of 1280x720 video, and some 10 ms
        // per clip of fixed cost (tiny clips: 9,000 at 32x18 took about 100 s on two lanes).
        case .kenburns:
            let pixels = Double(options.ratio.width * options.ratio.height) / (1280 * 720)
            return 0.01 + 0.3 * Double(options.duration) * pixels
        }
    }
}
