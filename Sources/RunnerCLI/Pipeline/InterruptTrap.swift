import Dispatch
import Foundation
import Synchronization

/// Ctrl-C and SIGTERM during apply: the first stops new submissions and lets the run record what is in
/// flight (exit 130); a second exits at once. Signals arrive through dispatch sources, not a C handler,
/// so the reaction runs as ordinary Swift code.
final class InterruptTrap {
    private let sources: [any DispatchSourceSignal]

    /// Starts catching SIGINT and SIGTERM; `onFirst` runs once, on the first of them.
    init(onFirst: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "runner.signals")
        let count = Mutex(0)
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let seen = count.withLock { value in
                    value += 1
                    return value
                }
                if seen == 1 {
                    StandardError.write(
                        "\nstopping: no new submissions; tasks in flight stay recorded and the next run resumes them "
                            + "(press Ctrl-C again to exit at once)\n")
                    onFirst()
                } else {
                    _exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    /// Stops catching: the signals' default actions apply again.
    func remove() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
