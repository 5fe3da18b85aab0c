import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One attempt: the request sent through the transport, the answer's body streamed to its sink.
/// It never throws; what happened (status, bytes written, the failure) is all in the outcome, so the
/// retry loop can resume a download from where a dropped connection left it.
struct HTTPExchange {
    /// What one attempt produced.
    struct Outcome: Sendable {
        var status: Int?
        var headers: [String: String] = [:]
        var body = Data()
        var written: Int64 = 0
        var failure: (any Error)?
        var writeFailure: String?
    }

    /// Error bodies beyond this are cut: they are XML or JSON a few hundred bytes long, and a
    /// misbehaving server must not make the client buffer a video in memory.
    static let errorBodyLimit = 1 << 20

    let request: HTTPRequest
    let body: HTTPRequestBody
    let sink: ResponseSink

    func run() async -> Outcome {
        var outcome = Outcome()
        do {
            let response = try await HTTPTransport.client(for: request.url).execute(
                transportRequest(), deadline: deadline)
            outcome.status = Int(response.status.code)
            for (name, value) in response.headers {
                let key = name.lowercased()
                outcome.headers[key] = outcome.headers[key].map { "\($0), \(value)" } ?? value
            }
            let toFile = outcome.status.map { (200..<300).contains($0) } == true ? sink.file : nil
            for try await chunk in response.body {
                if let (descriptor, offset, path) = toFile {
                    if let failure = Self.write(chunk, to: descriptor, at: offset + outcome.written, path: path) {
                        outcome.writeFailure = failure
                        return outcome
                    }
                    outcome.written += Int64(chunk.readableBytes)
                } else if sink.file == nil || outcome.body.count < Self.errorBodyLimit {
                    outcome.body.append(contentsOf: chunk.readableBytesView)
                }
            }
        } catch {
            outcome.failure = error
        }
        return outcome
    }

    /// In-memory exchanges must finish within the request's timeout; transfers to and from files
    /// may take as long as they keep moving (the transport's idle timeout ends a silent one).
    private var deadline: NIODeadline {
        if sink.file == nil, body.streamsFromFile == false {
            return .now() + .milliseconds(Int64(request.timeout * 1000))
        }
        return .distantFuture
    }

    private func transportRequest() -> HTTPClientRequest {
        var converted = HTTPClientRequest(url: request.url.absoluteString)
        converted.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            // The transport frames the body itself, from the body's own length.
            let lowered = name.lowercased()
            if lowered == "content-length" || lowered == "transfer-encoding" { continue }
            converted.headers.add(name: name, value: value)
        }
        switch body {
        case .empty:
            break
        case .data(let data):
            converted.body = .bytes(ByteBuffer(bytes: data))
        case .file(let url, let range):
            converted.body = .stream(FileChunks(path: url.path, range: range), length: .known(Int64(range.count)))
        }
        return converted
    }

    /// Writes a chunk at `position` with `pwrite`, so concurrent ranges can share one file.
    private static func write(_ chunk: ByteBuffer, to descriptor: Int32, at position: Int64, path: String) -> String? {
        chunk.withUnsafeReadableBytes { buffer in
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
    }
}

extension ResponseSink {
    /// The descriptor, offset and path of a file sink; nil for memory.
    var file: (descriptor: Int32, offset: Int64, path: String)? {
        if case .file(let descriptor, let offset, let path) = self { return (descriptor, offset, path) }
        return nil
    }
}

extension HTTPRequestBody {
    var streamsFromFile: Bool {
        if case .file = self { return true }
        return false
    }
}
