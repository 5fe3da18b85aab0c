import Foundation

/// A response's status and headers, with its body in memory unless it went to a file.
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header names lower-cased.
    public let headers: [String: String]
    /// The body, when it was kept in memory (small answers, and error bodies of file downloads).
    public let body: Data
    /// Bytes written to the file sink (0 when the body went to memory).
    public let bytesWritten: Int64

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// A header's value; `name` in any case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
