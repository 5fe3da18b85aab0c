import Foundation
import Hummingbird
import Manifest
import Stages

/// Builds every JSON answer: sorted keys, dates as the run records write them, and no secret of the server's
/// environment in the text (scrubbed as the last step, whatever put it there).
public struct Answer: Sendable {
    let secrets: SecretValues

    func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom(StoredDates.encode)
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return raw(secrets.scrub(text), status: status, contentType: "application/json")
    }

    func raw(_ text: String, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// `{"error": "..."}` with the problem's status.
    func problem(_ error: ServeError) -> Response {
        json(["error": error.description], status: .init(code: error.status))
    }
}
