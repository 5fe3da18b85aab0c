import Foundation
import Manifest
import Runway
import Synchronization

/// Runway as a `VideoGenerator`: submit (or resume), record, poll, download.
public struct RunwayGenerator: VideoGenerator {
    /// The client, also for the account's limits (`organization()`).
    public let client: RunwayClient

    public init(client: RunwayClient) {
        self.client = client
    }

    public var acceptsFrameLinks: Bool { true }

    public func generate(_ job: GenerationJob, to output: URL, run: any ItemRun) async throws -> GenerationResult {
        var resume = job.resumeTaskID
        var ambiguous = 0
        var failures = 0
        // This generation's own tasks (a resumed one was paid for by the run that submitted it): their estimates,
        // and their final charges as the polls report them.
        let paid = Mutex(PaidTasks())
        while true {
            let attempt: (taskID: String, credits: Double?)
            let resuming = resume != nil
            if let resumed = resume {
                attempt = (resumed, nil)
                resume = nil
            } else {
                guard await run.mayPay(estimate(job)) == .pay else {
                    throw ItemFailure(
                        .notPaid,
                        reason: StageError.budgetExhausted(frame: job.frameName, failedAttempts: failures).description)
                }
                let body = try await request(for: job)
                try Task.checkCancellation()
                // A POST cannot be taken back once sent: its answer is awaited and the task recorded in a task
                // of their own, which Ctrl-C does not cancel, or the next run would pay for the clip again.
                let client = self.client
                let catalogEstimate = estimate(job)
                let submission = try await Task {
                    let submission = try await client.submit(body)
                    try await run.paid(taskID: submission.id, credits: submission.estimatedCredits ?? catalogEstimate)
                    return submission
                }.value
                ambiguous += submission.ambiguousRetries
                attempt = (submission.id, submission.estimatedCredits)
            }
            let estimate = attempt.credits ?? estimate(job)
            if !resuming {
                paid.withLock {
                    $0.estimated += estimate
                    $0.open = estimate
                }
            }
            do {
                let taskID = attempt.taskID
                let task = try await client.waitForTask(taskID) { task in
                    switch task.status {
                    case .pending: run.status(.pending)
                    case .throttled: run.status(.throttled)
                    case .running: run.status(.running(progress: task.progress))
                    case .succeeded, .failed, .cancelled:
                        // The final charge: what the budget, the record and the summary count from here on.
                        let charged = task.chargedCredits ?? estimate
                        let known = task.chargedCredits != nil
                        paid.withLock { state in
                            if !resuming {
                                state.charged += charged
                                state.open = 0
                                state.allKnown = state.allKnown && known
                            }
                        }
                        run.charged(
                            taskID: taskID, estimated: resuming ? (task.estimatedCredits ?? estimate) : estimate,
                            charged: charged)
                    }
                }
                run.providerFinished()
                let refreshes = Mutex(0)
                try await client.downloadOutput(of: task, to: output) {
                    refreshes.withLock { $0 += 1 }
                    run.linkRefreshed()
                }
                let state = paid.withLock { $0 }
                var result = GenerationResult(
                    taskID: taskID, credits: state.charged + state.open, ambiguousRetries: ambiguous,
                    failedAttempts: failures)
                result.estimatedCredits = state.estimated
                result.chargesKnown = state.allKnown && state.open == 0
                result.linkRefreshes = refreshes.withLock { $0 }
                return result
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

    /// Runway's errors as the engine records them: a task's failure is Runway's verdict (retryable or not); a
    /// cancellation is nothing to record.
    public func failure(for error: any Error) -> ItemFailure {
        guard let runway = error as? RunwayError else { return ItemFailure.mapping(error) }
        if runway == .cancelled { return .cancelled }
        return ItemFailure(.provider(retryable: runway.isRetryable), reason: runway.description)
    }

    /// The account's per-model limits and the past day's generations.
    public func account() async throws -> ProviderAccount? {
        let organization = try await client.organization()
        return ProviderAccount(
            limits: organization.limits.mapValues {
                ProviderAccount.Limits(concurrent: $0.maxConcurrentGenerations, daily: $0.maxDailyGenerations)
            }, usedToday: organization.dailyGenerations)
    }

    /// What this generation's own tasks were estimated and charged.
    private struct PaidTasks {
        var estimated = 0.0
        var charged = 0.0
        /// The estimate of the task in flight, until its final charge is known.
        var open = 0.0
        var allKnown = true
    }

    private func request(for job: GenerationJob) async throws(RunwayError) -> ImageToVideoRequest {
        // `audio` goes to every model that takes it, with the value the plan priced (the API's default is not documented).
        let takesAudio = ModelCatalog.model(named: job.model, for: .runway)?.acceptsAudio ?? false
        var request = ImageToVideoRequest(
            model: job.model, promptImage: try await client.promptImageValue(for: Self.promptImage(job.frame)),
            ratio: job.ratio, duration: job.duration, promptText: job.prompt, seed: job.seed,
            audio: takesAudio ? job.audio : nil)
        if let last = job.lastKeyframe {
            // The same way as the first: a link, a data URI, or an upload for a large frame.
            request.lastKeyframe = try await client.promptImageValue(for: Self.promptImage(last.frame))
        }
        return request
    }

    private static func promptImage(_ source: FrameSource) -> PromptImage {
        switch source {
        case .file(let path): return .file(path: path)
        case .link(let url): return .link(url)
        }
    }

    /// The catalog's price with the job's options, when Runway gives no estimate.
    private func estimate(_ job: GenerationJob) -> Double {
        ModelCatalog.model(named: job.model, for: .runway)?.credits(seconds: job.duration, audio: job.audio) ?? 0
    }
}
