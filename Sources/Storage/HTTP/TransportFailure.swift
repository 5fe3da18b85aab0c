import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// What a transport error means for the runner: whether trying again can help, and a sentence for
/// the user. SwiftNIO's errors are precise but name types, not causes.
enum TransportFailure {
    /// Resets, drops, silent connections and timeouts are transient; bad URLs, refused certificates and
    /// cancellation are not. Neither is a connection that could not be made (refused, or a name that does
    /// not resolve): the transport has already retried it with backoff for its whole connect timeout, and
    /// retrying that again would keep a user with a mistyped endpoint waiting for a minute.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError:
            return [
                .remoteConnectionClosed, .readTimeout, .writeTimeout, .connectTimeout, .uncleanShutdown,
                .tlsHandshakeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout, .bodyLengthMismatch,
            ].contains(error)
        case is NIOConnectionError:
            return false
        case let error as IOError:
            return transientErrnos.contains(error.errnoCode)
        case let error as ChannelError:
            return [.ioOnClosedChannel, .eof, .outputClosed, .inputClosed, .alreadyClosed].contains(error)
                || { if case .connectTimeout = error { return true } else { return false } }()
        case let error as NIOSSLError:
            if case .uncleanShutdown = error { return true }
            return false
        default:
            return false
        }
    }

    /// Whether the error is the request being cancelled.
    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? HTTPClientError { return error == .cancelled || error == .requestStreamCancelled }
        return false
    }

    /// A plain sentence: what happened to the connection.
    static func sentence(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .remoteConnectionClosed, .uncleanShutdown:
                return "the server closed the connection before the answer was complete"
            case .readTimeout, .writeTimeout:
                return "the connection stayed silent for \(seconds(HTTPTransport.idleTimeout)) s"
            case .connectTimeout, .tlsHandshakeTimeout:
                return "no connection could be made within \(seconds(HTTPTransport.connectTimeout)) s"
            case .deadlineExceeded: return "the answer did not arrive in time"
            case .invalidURL, .emptyHost, .emptyScheme: return "the URL is not valid"
            case .bodyLengthMismatch: return "the body sent did not have the length announced"
            default: return "the HTTP exchange failed (\(error))"
            }
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return "cannot resolve the host name \(error.host); check the URL and the network"
            }
            let causes = Set(error.connectionErrors.map { sentence($0.error) }).sorted().joined(separator: "; ")
            return "cannot connect to \(error.host):\(error.port)" + (causes.isEmpty ? "" : " (\(causes))")
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as ChannelError:
            if case .connectTimeout = error {
                return "no connection could be made within \(seconds(HTTPTransport.connectTimeout)) s"
            }
            return "the connection was closed"
        case let error as NIOSSLError:
            return "the TLS connection failed (\(error))"
        default:
            return String(describing: error)
        }
    }

    /// Failures of a connection that was made. Failures to make one (refused, unreachable) are not here,
    /// for the reason given at `isTransient`.
    private static let transientErrnos: Set<Int32> = [ECONNRESET, ECONNABORTED, EPIPE, ETIMEDOUT]

    private static func seconds(_ amount: TimeAmount) -> Int64 { amount.nanoseconds / 1_000_000_000 }
}
