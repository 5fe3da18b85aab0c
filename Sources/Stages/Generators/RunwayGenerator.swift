import Foundation
import Manifest
import Runway

/// Runway as a `VideoGenerator`: submit (or resume), record, poll, download.
public struct RunwayGenerator: VideoGenerator {
    let client: RunwayClient

    public init(client: RunwayClient) {
        self.client = client
    }

    public var acceptsFrameLinks: Bool { true }

    public func generate(_ job: GenerationJob, to output: URL,
                         onSubmitted: @Sendable (String, Double?) async throws -> Void,
                         events: @Sendable (GenerationEvent) -> Void) async throws -> GenerationResult {
        var resume = job.resumeTaskID
        var credits = 0.0
        var ambiguous = 0
        var failures = 0
        while true {
            let attempt: (taskID: String, credits: Double?)
            let resuming = resume != nil
            if let resumed = resume {
                attempt = (resumed, nil)
                resume = nil
            } else {
                if let authorize = job.authorizeSubmission, !(await authorize(estimate(job))) {
                    throw StageError.budgetExhausted(frame: job.frameName, failedAttempts: failures)
                }
                let body = try await request(for: job)
                try Task.checkCancellation()
                // A POST cannot be taken back once sent: its answer is awaited and the task recorded in a task
                // of their own, which Ctrl-C does not cancel, or the next run would pay for the clip again.
                let client = self.client
                let submission = try await withoutActuallyEscaping(onSubmitted) { record in
                    try await Task {
                        let submission = try await client.submit(body)
                        try await record(submission.id, submission.estimatedCredits)
                        return submission
                    }.value
                }
                ambiguous += submission.ambiguousRetries
                attempt = (submission.id, submission.estimatedCredits)
            }
            // A resumed task was paid for by the run that submitted it.
            if !resuming { credits += attempt.credits ?? estimate(job) }
            do {
                let task = try await client.waitForTask(attempt.taskID) { task in
                    switch task.status {
                    case .pending: events(.pending)
                    case .throttled: events(.throttled)
                    case .running: events(.running(progress: task.progress))
                    case .succeeded, .failed, .cancelled: break
                    }
                }
                events(.generated)
                try await client.downloadOutput(of: task, to: output)
                return GenerationResult(taskID: attempt.taskID, credits: credits, ambiguousRetries: ambiguous, failedAttempts: failures)
            } catch .taskNotFound where resuming {
                // The recorded task is gone from Runway (deleted, or older than its retention): a new one is needed.
                continue
            } catch {
                // A quality rejection, an internal error or a broken output: a new task may succeed.
                guard failures < job.retries, error.isRetryable else { throw error }
                failures += 1
            }
        }
    }

    private func request(for job: GenerationJob) async throws(RunwayError) -> ImageToVideoRequest {
        let image: PromptImage
        switch job.frame {
        case let .file(path): image = .file(path: path)
        case let .link(url): image = .link(url)
        }
        return ImageToVideoRequest(model: job.model, promptImage: try await client.promptImageValue(for: image),
                                   ratio: job.ratio, duration: job.duration, promptText: job.prompt, seed: job.seed)
    }

    /// The catalog's price, when Runway gives no estimate.
    private func estimate(_ job: GenerationJob) -> Double {
        ModelCatalog.model(named: job.model, for: .runway).map { Double($0.creditsPerSecond * job.duration) } ?? 0
    }
}
