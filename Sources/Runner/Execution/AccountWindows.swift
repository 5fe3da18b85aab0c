import Foundation
import Manifest
import Storage
import Synchronization

/// A place in a concurrency window: taken before a provider call, given back once it is done.
protocol ConcurrencyGate: Sendable {
    func acquire() async
    func release() async
}

extension Limiter: ConcurrencyGate {}

/// Concurrency windows shared by the runs of one process (`runner serve`): one per provider account, keyed by a digest
/// of its API key, so that runs of several users on one account together never have more tasks in flight than the
/// account allows. Runs share a window fairly: a freed place goes to the waiting run that holds the fewest.
public final class AccountWindows: Sendable {
    private let windows = Mutex<[String: FairWindow]>([:])
    /// Items that may be preparing their frames per place of the account (`PipelineEngine.stagingGate`): one being
    /// submitted as the place frees, one more behind it.
    static let stagedPerPlace = 2

    public init() {}

    /// The window of the account `identity`, made with `limit` places by its first user.
    func window(for identity: String, limit: Int) -> FairWindow {
        windows.withLock { windows in
            if let window = windows[identity] { return window }
            let window = FairWindow(limit: limit)
            windows[identity] = window
            return window
        }
    }

    /// The account a provider bills: a digest of its Runway key and base URL; nil for a local provider.
    static func identity(of provider: Provider) -> String? {
        guard case .runway(let settings) = provider.settings else { return nil }
        let text = (settings.baseURL ?? "") + "\n" + settings.apiKey.revealed()
        return try? SHA256Digest.hex(of: Data(text.utf8))
    }
}

/// A window of `limit` places shared by lanes (runs). A place freed with runs waiting goes to the lane holding the
/// fewest places (the one waiting longest among equals), so a run that asked for many places first does not starve
/// a later one.
actor FairWindow {
    private let limit: Int
    private var held: [String: Int] = [:]
    private var total = 0
    /// Waiters per lane, in order, and the order lanes started waiting in.
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var waitingOrder: [String] = []

    init(limit: Int) { self.limit = max(limit, 1) }

    func acquire(lane: String) async {
        if total < limit && waitingOrder.isEmpty {
            total += 1
            held[lane, default: 0] += 1
            return
        }
        await withCheckedContinuation { continuation in
            if waiting[lane, default: []].isEmpty { waitingOrder.append(lane) }
            waiting[lane, default: []].append(continuation)
        }
    }

    func release(lane: String) {
        held[lane, default: 1] -= 1
        if held[lane] == 0 { held[lane] = nil }
        guard
            let next = waitingOrder.enumerated().min(by: {
                (held[$0.element] ?? 0, $0.offset) < (held[$1.element] ?? 0, $1.offset)
            })
        else {
            total -= 1
            return
        }
        var queue = waiting[next.element] ?? []
        let continuation = queue.removeFirst()
        if queue.isEmpty {
            waiting[next.element] = nil
            waitingOrder.remove(at: next.offset)
        } else {
            waiting[next.element] = queue
        }
        held[next.element, default: 0] += 1
        continuation.resume()
    }

    /// Places held now, by lane (for tests and metrics).
    var holders: [String: Int] { held }

    /// Acquisitions waiting now.
    var waitingCount: Int { waiting.values.reduce(0) { $0 + $1.count } }
}

/// One run's use of a shared window.
struct LaneGate: ConcurrencyGate {
    let window: FairWindow
    let lane: String

    func acquire() async { await window.acquire(lane: lane) }
    func release() async { await window.release(lane: lane) }
}
