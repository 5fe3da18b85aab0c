import Foundation
import Manifest
import Media
import Storage

/// A client for the part of Runway's API the runner uses: submit, poll, cancel, download.
///
/// It retries only what is safe: 502/503/504 and dropped connections for reads; for the paid POST,
/// a dropped connection may already have created a task, so each such retry is counted as ambiguous.
public final class RunwayClient: Sendable {
    /// Where and how to reach the API.
    public struct Configuration: Sendable {
        public var baseURL: URL
        public var apiKey: Secret
        /// Where the key came from (`${env:RUNWAYML_API_SECRET}`), for messages; never the key.
        public var keySource: String
        public var pollInterval: Duration
        public var timeout: Duration
        /// Attempts for one POST, the first included.
        public var postAttempts: Int
        /// The first wait between attempts; doubled each time, with up to 50 % jitter.
        public var retryBaseDelay: Duration
        /// Secret values (the environment's) scrubbed from everything Runway answers; the client adds its key.
        public var secrets: SecretValues

        public init(
            baseURL: URL, apiKey: Secret, keySource: String = "RUNWAYML_API_SECRET",
            pollInterval: Duration = .seconds(6), timeout: Duration = .seconds(1800),
            postAttempts: Int = 4, retryBaseDelay: Duration = .seconds(1),
            secrets: SecretValues = SecretValues(environment: ProcessInfo.processInfo.environment)
        ) {
            self.secrets = secrets
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.keySource = keySource
            self.pollInterval = pollInterval
            self.timeout = timeout
            self.postAttempts = postAttempts
            self.retryBaseDelay = retryBaseDelay
        }
    }

    /// A task Runway accepted.
    public struct Submission: Sendable, Equatable {
        public let id: String
        /// Runway's own estimate, when it gives one.
        public let estimatedCredits: Double?
        /// Retries after a POST whose answer never arrived: each may have created (and billed) a task.
        public let ambiguousRetries: Int
    }

    private let configuration: Configuration
    /// The environment's secrets and the key: Runway's answers (error bodies, a task's failure text) may echo
    /// the request, headers included, so every server text is scrubbed of these where it enters a `RunwayError`.
    let secrets: SecretValues
    /// Attempts for one read (poll, cancel, download), the first included.
    static let readAttempts = 5
    private let reads: HTTPClient
    private let posts: HTTPClient
    /// Uploads of large frames: the same no-retry client, since an upload's second attempt would need a new announcement.
    var uploadClient: HTTPClient { posts }

    public init(configuration: Configuration, log: (@Sendable (String) -> Void)? = nil) {
        self.configuration = configuration
        let secrets = configuration.secrets.adding([configuration.apiKey])
        self.secrets = secrets
        let loadShedding: Set<Int> = [502, 503, 504]
        reads = HTTPClient(
            retry: RetryPolicy(
                maxAttempts: RunwayClient.readAttempts, baseDelay: configuration.retryBaseDelay, maxDelay: .seconds(30),
                isRetryable: { loadShedding.contains($0.status) }),
            secrets: secrets, log: log)
        // The paid POST is retried here, not in the HTTP client, so that every ambiguous retry is seen and counted.
        posts = HTTPClient(retry: RetryPolicy(maxAttempts: 1), secrets: secrets, log: log)
    }

    // MARK: - Requests

    /// Starts a generation.
    public func submit(_ request: ImageToVideoRequest) async throws(RunwayError) -> Submission {
        try request.validate()
        let (response, dropped) = try await post("/v1/image_to_video", body: request.jsonBody())
        guard response.status == 200 || response.status == 201 else { throw failure(response) }
        return try submission(from: response.body, ambiguousRetries: dropped)
    }

    /// The task's current state.
    public func task(_ id: String) async throws(RunwayError) -> RunwayTask {
        let response = try await read(apiRequest("GET", "/v1/tasks/\(RunwayClient.pathSegment(id))"))
        guard response.status == 200 else { throw failure(response, taskID: id, attempts: RunwayClient.readAttempts) }
        do {
            return try RunwayTask.decode(response.body)
        } catch let .unknownTaskStatus(id, status) {
            throw .unknownTaskStatus(id: inert(id), status: inert(status))
        }
    }

    /// Cancels a queued or running task (or deletes a finished one).
    public func cancel(_ id: String) async throws(RunwayError) {
        let response = try await read(apiRequest("DELETE", "/v1/tasks/\(RunwayClient.pathSegment(id))"))
        guard (200..<300).contains(response.status) else {
            throw failure(response, taskID: id, attempts: RunwayClient.readAttempts)
        }
    }

    /// The organisation's credit balance, for plans and budget checks.
    public func creditBalance() async throws(RunwayError) -> Double? {
        try await organization().creditBalance
    }

    // MARK: - Lifecycle

    /// Polls until the task succeeds, reporting each state to `observe`; throws when it fails, is cancelled or times out.
    public func waitForTask(_ id: String, observe: @Sendable (RunwayTask) -> Void = { _ in }) async throws(RunwayError)
        -> RunwayTask
    {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + configuration.timeout
        var throttledPolls = 0
        var timing = PollTiming(interval: configuration.pollInterval)
        while true {
            let task = try await self.task(id)
            let readAt = clock.now
            observe(task)
            switch task.status {
            case .succeeded:
                guard !task.output.isEmpty else {
                    throw .malformedResponse("task \(inert(id)) succeeded with no output")
                }
                return task
            case .failed:
                throw .taskFailed(
                    id: inert(id), code: inert(task.failureCode ?? "UNKNOWN"),
                    message: inert(task.failure ?? "no reason given"))
            case .cancelled:
                throw .taskCancelled(id: inert(id))
            case .throttled:
                throttledPolls += 1
            case .pending, .running:
                throttledPolls = 0
            }
            guard clock.now < deadline else {
                throw .timedOut(id: inert(id), seconds: DurationText.seconds(configuration.timeout))
            }
            let wait = timing.wait(
                afterReadAt: DurationText.seconds(readAt - start), status: task.status, progress: task.progress,
                throttledPolls: throttledPolls, jitter: Double.random(in: 1.0...1.2))
            do { try await Task.sleep(for: min(wait, max(deadline - clock.now, .milliseconds(1)))) } catch {
                throw .cancelled
            }
        }
    }

    /// Times an expired output link is replaced by a fresh one (a free re-read of the task) before the download fails.
    static let linkRefreshes = 3

    /// Downloads the first output of a succeeded task into `file` and checks that it is a playable video. A link
    /// refused as expired (HTTP 403) is replaced by a fresh one from a new read of the task, which is free: never by a
    /// new, paid task. `onRefresh` is told each time.
    public func downloadOutput(
        of task: RunwayTask, to file: URL,
        onRefresh: @Sendable () -> Void = {}
    ) async throws(RunwayError) {
        var current = task
        var refreshes = 0
        while true {
            do {
                return try await downloadOnce(current, to: file)
            } catch let .outputLinkExpired(id) where refreshes < RunwayClient.linkRefreshes {
                refreshes += 1
                onRefresh()
                let fresh = try await self.task(current.id)
                guard fresh.status == .succeeded, !fresh.output.isEmpty else {
                    throw .badOutput(
                        id: id,
                        reason:
                            "its link expired, and a new read of the task gave no fresh link (status \(fresh.status.rawValue))"
                    )
                }
                current = fresh
            } catch let .outputLinkExpired(id) {
                // Not `badOutput`, which is retryable with a new task: the clip exists and is paid for.
                throw .unexpectedStatus(
                    status: 403,
                    message: "the output of task \(id) was refused as expired \(refreshes + 1) times, "
                        + "fresh links included; rerun later to download it (no new task is paid for)")
            }
        }
    }

    private func downloadOnce(_ task: RunwayTask, to file: URL) async throws(RunwayError) {
        let id = inert(task.id)
        guard let link = task.output.first, let url = URL(string: link) else {
            throw .badOutput(id: id, reason: "the task has no output link")
        }
        // Into a temporary file beside the clip, renamed only once the clip checks out: a failed or
        // interrupted download never leaves something at `file` that looks like a finished clip.
        let partial = LocalFiles.temporarySibling(of: file.path)
        defer { unlink(partial) }
        let descriptor: Int32
        do {
            descriptor = try LocalFiles.create(partial)
        } catch {
            throw .badOutput(id: id, reason: error.description)
        }
        let response: HTTPResponse
        do {
            // No API headers: the output link is a presigned URL of Runway's storage.
            response = try await reads.download(
                HTTPRequest(method: "GET", url: url, timeout: 120), range: nil,
                into: descriptor, at: 0, path: file.path)
            close(descriptor)
        } catch {
            close(descriptor)
            if error == .cancelled { throw .cancelled }
            throw .badOutput(id: id, reason: error.description)
        }
        if response.status == 403 { throw .outputLinkExpired(id: id) }
        guard response.status == 200 else {
            let redirect =
                (300..<400).contains(response.status)
                ? ", a redirect, which the runner does not follow (Runway's output links are direct)" : ""
            throw .badOutput(
                id: id,
                reason: response.status == 403
                    ? "its link expired before it was downloaded (HTTP 403); the clip must be fetched as soon as the task succeeds"
                    : "its link answered HTTP \(response.status)\(redirect)")
        }
        let info: MediaInfo
        do {
            info = try MediaProbe.quickProbe(path: partial)
        } catch {
            throw .badOutput(
                id: id, reason: inert(error.description.replacingOccurrences(of: partial, with: file.path)))
        }
        guard info.video != nil else {
            throw .badOutput(id: id, reason: MediaError.noVideoStream(path: file.path).description)
        }
        do {
            try LocalFiles.rename(partial, to: file.path)
        } catch {
            throw .badOutput(id: id, reason: error.description)
        }
    }

    // MARK: - Plumbing

    func apiRequest(_ method: String, _ path: String, json: Bool = false) -> HTTPRequest {
        var request = HTTPRequest(
            method: method, url: configuration.baseURL.appendingPathComponent(String(path.dropFirst())), timeout: 60)
        request.setHeader("Authorization", "Bearer \(configuration.apiKey.revealed())")
        request.setHeader("X-Runway-Version", RunwayAPI.version)
        request.setHeader("Accept", "application/json")
        if json { request.setHeader("Content-Type", "application/json") }
        return request
    }

    func read(_ request: HTTPRequest) async throws(RunwayError) -> HTTPResponse {
        do {
            return try await reads.send(request)
        } catch .cancelled {
            throw .cancelled
        } catch {
            throw .transport(error.description)
        }
    }

    private func pause(afterAttempt attempt: Int, retryAfter: Duration?) async throws(RunwayError) {
        let base = configuration.retryBaseDelay * (1 << min(attempt - 1, 10))
        let wait = retryAfter ?? base * Double.random(in: 1.0...1.5)
        do { try await Task.sleep(for: wait) } catch { throw .cancelled }
    }

    private func submission(from body: Data, ambiguousRetries: Int) throws(RunwayError) -> Submission {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let id = object["id"] as? String
        else {
            throw .malformedResponse("the answer to a new task has no id")
        }
        let cost = (object["estimatedCost"] as? [String: Any])?["credits"] as? NSNumber
        return Submission(id: id, estimatedCredits: cost?.doubleValue, ambiguousRetries: ambiguousRetries)
    }

    /// A JSON POST to the API, retried here (not in the HTTP client) on 429, 502, 503, 504 and dropped
    /// connections, up to `postAttempts`. Returns the last answer and how many retries followed a dropped
    /// connection: for a paid POST each of those may have created, and billed, a task.
    func post(_ path: String, body: Data) async throws(RunwayError) -> (response: HTTPResponse, droppedAnswers: Int) {
        var dropped = 0
        var attempt = 0
        while true {
            attempt += 1
            let response: HTTPResponse
            do {
                response = try await posts.send(apiRequest("POST", path, json: true), body: .data(body))
            } catch .cancelled {
                throw .cancelled
            } catch {
                guard attempt < configuration.postAttempts else { throw .transport(error.description) }
                dropped += 1
                try await pause(afterAttempt: attempt, retryAfter: nil)
                continue
            }
            guard [429, 502, 503, 504].contains(response.status), attempt < configuration.postAttempts else {
                return (response, dropped)
            }
            try await pause(afterAttempt: attempt, retryAfter: RunwayClient.retryAfter(response))
        }
    }

    /// The error an unsuccessful answer stands for.
    /// `attempts` is how many times the request was sent (reads: `readAttempts`; POSTs: `postAttempts`).
    /// Runway's words in it are scrubbed of the key and the environment's secrets and made inert here.
    func failure(_ response: HTTPResponse, taskID: String? = nil, attempts: Int? = nil) -> RunwayError {
        let message = inert(RunwayClient.errorMessage(response.body))
        let taskID = taskID.map(inert)
        switch response.status {
        case 300..<400:
            return .unexpectedStatus(
                status: response.status,
                message: "a redirect, which the runner does not follow: the API key "
                    + "goes only to the configured base URL; check the provider's `baseURL` or \(RunwayAPI.baseURLVariable)"
            )
        case 400: return .badRequest(message: message)
        case 401: return .unauthorized(keySource: configuration.keySource)
        case 404: return taskID.map { .taskNotFound(id: $0) } ?? .unexpectedStatus(status: 404, message: message)
        case 429: return .dailyLimit(retryAfterSeconds: RunwayClient.retryAfter(response).map(DurationText.seconds))
        case 502, 503, 504:
            return .unavailable(status: response.status, attempts: attempts ?? configuration.postAttempts)
        default: return .unexpectedStatus(status: response.status, message: message)
        }
    }

    /// Server text made safe for messages, records and events (`ServerText.inert` with this client's secrets).
    func inert(_ text: String) -> String { ServerText.inert(text, secrets: secrets) }

    /// The `error` of a JSON error body, or the start of the body (not yet scrubbed: see `failure`).
    static func errorMessage(_ body: Data) -> String {
        if let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let error = object["error"] as? String
        {
            return error
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.isEmpty ? "no message" : text
    }

    static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let value = response.header("Retry-After"), let seconds = Double(value), seconds >= 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A task id as one path segment (ids are UUIDs; anything else is escaped rather than trusted).
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-"))) ?? id
    }
}
