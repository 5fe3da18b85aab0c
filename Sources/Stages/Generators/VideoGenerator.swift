import Foundation
import Manifest

/// A provider of clips: Runway, the local Ken Burns generator, or the next one (one type and one registry line).
public protocol VideoGenerator: Sendable {
    /// Whether an S3 frame may be given as a link (Runway fetches it); otherwise it is downloaded first.
    var acceptsFrameLinks: Bool { get }

    /// Makes the clip of `job` at `output` (an MP4), telling `run` what happens: every paid submission is asked for
    /// (`mayPay`) and reported (`paid`) before its first poll, so a run killed after that resumes the task instead of
    /// paying again. Throws the provider's own errors; `failure(for:)` says what each means to the engine.
    func generate(_ job: GenerationJob, to output: URL, run: any ItemRun) async throws -> GenerationResult

    /// What an error thrown by `generate` means to the engine: a provider's verdict (recorded), a cancellation...
    func failure(for error: any Error) -> ItemFailure

    /// The provider's account limits (a free read), or nil when it has none to read.
    func account() async throws -> ProviderAccount?
}

extension VideoGenerator {
    /// Cancellation and failures already mapped are kept; anything else is a local failure (not the provider's
    /// verdict: nothing is recorded over a paid task's `submitted` record).
    public func failure(for error: any Error) -> ItemFailure {
        ItemFailure.mapping(error)
    }

    /// No account to read.
    public func account() async throws -> ProviderAccount? { nil }
}
