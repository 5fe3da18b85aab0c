import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// What one URLSession task has produced so far, filled in by the session delegate.
final class TransferState: Sendable {
    /// The outcome handed back when the task completes.
    struct Outcome: Sendable {
        var status: Int?
        var headers: [String: String] = [:]
        var body = Data()
        var written: Int64 = 0
        var failure: (any Error)?
        var writeFailure: String?
    }

    private struct Progress {
        var outcome = Outcome()
        var continuation: CheckedContinuation<Outcome, Never>?
        var finished = false
    }

    let sink: ResponseSink
    private let progress = Mutex(Progress())
    /// Error bodies beyond this are cut: they are XML a few hundred bytes long, and a misbehaving
    /// server must not make the client buffer a video in memory.
    private static let errorBodyLimit = 1 << 20

    init(sink: ResponseSink) { self.sink = sink }

    /// Stores the continuation the completion resumes; resumes at once if the task already finished.
    func wait(_ continuation: CheckedContinuation<Outcome, Never>) {
        let ready: Outcome? = progress.withLock { state in
            if state.finished { return state.outcome }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    /// Records the response's status and headers when they arrive.
    func start(_ response: URLResponse) {
        guard let http = response as? HTTPURLResponse else { return }
        progress.withLock { Self.record(http, into: &$0.outcome) }
    }

    /// Takes in a chunk of body; returns false when writing it failed (the task should be cancelled).
    func receive(_ data: Data, response: URLResponse?) -> Bool {
        progress.withLock { state in
            if state.outcome.status == nil, let http = response as? HTTPURLResponse { Self.record(http, into: &state.outcome) }
            let status = state.outcome.status ?? 0
            guard case let .file(descriptor, offset, path) = sink, (200..<300).contains(status) else {
                if state.outcome.body.count < Self.errorBodyLimit || sink.isMemory { state.outcome.body.append(data) }
                return true
            }
            let position = offset + state.outcome.written
            let failure: String? = data.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count {
                    guard let base = buffer.baseAddress else { return nil }
                    let count = pwrite(descriptor, base + done, buffer.count - done, off_t(position) + off_t(done))
                    if count < 0 {
                        if errno == EINTR { continue }
                        return "\(path): \(String(cString: strerror(errno)))"
                    }
                    done += count
                }
                return nil
            }
            if let failure {
                state.outcome.writeFailure = failure
                return false
            }
            state.outcome.written += Int64(data.count)
            return true
        }
    }

    /// Records the end of the task and resumes the waiting caller.
    func complete(response: URLResponse?, error: (any Error)?) {
        let continuation: CheckedContinuation<Outcome, Never>?
        let outcome: Outcome
        (continuation, outcome) = progress.withLock { state in
            if state.outcome.status == nil, let http = response as? HTTPURLResponse { Self.record(http, into: &state.outcome) }
            if state.outcome.failure == nil { state.outcome.failure = error }
            state.finished = true
            let waiting = state.continuation
            state.continuation = nil
            return (waiting, state.outcome)
        }
        continuation?.resume(returning: outcome)
    }

    private static func record(_ response: HTTPURLResponse, into outcome: inout Outcome) {
        outcome.status = response.statusCode
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { outcome.headers[name.lowercased()] = value }
        }
    }
}

extension ResponseSink {
    var isMemory: Bool {
        if case .memory = self { return true }
        return false
    }
}
