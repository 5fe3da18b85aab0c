import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Routes URLSession's per-task callbacks to the transfer each task belongs to, so bodies stream
/// straight to their files (and a dropped download knows how far it got).
final class SessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let transfers = Mutex<[Int: TransferState]>([:])

    func register(_ state: TransferState, for task: URLSessionTask) {
        transfers.withLock { $0[task.taskIdentifier] = state }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        // Recorded here, before any body arrives: `dataTask.response` is not always set yet when data
        // is delivered (notably the last chunks before a dropped connection is reported).
        transfers.withLock { $0[dataTask.taskIdentifier] }?.start(response)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let state = transfers.withLock({ $0[dataTask.taskIdentifier] }) else { return }
        if !state.receive(data, response: dataTask.response) { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let state = transfers.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        state?.complete(response: task.response, error: error)
    }
}
