import Foundation
import Hummingbird

/// Reads request bodies within the server's limit.
struct RequestBodies: Sendable {
    let limit: Int

    enum Failure: Error {
        case tooLarge(Int)
        case invalid(String)
    }

    /// The body decoded as `Value`; an empty body decodes as `{}`.
    func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws(Failure) -> Value {
        // A declared length past the limit is refused at once, before any of the body is waited for.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw .tooLarge(limit)
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch { throw .tooLarge(limit) }
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        do { return try JSONDecoder().decode(Value.self, from: data) } catch let error as DecodingError {
            throw .invalid(Self.describe(error))
        } catch { throw .invalid("the body is not JSON") }
    }

    /// A decoding error as a sentence naming the field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            // The body itself (`[]`, `"text"`): an object is what every action takes.
            guard !context.codingPath.isEmpty else {
                return "the body must be a JSON object, such as {\"action\": ...}"
            }
            return
                "`\(path(context))` must be \(type == Int.self ? "a whole number" : type == Bool.self ? "true or false" : type == String.self ? "a string" : type == [String].self ? "a list of strings" : "a JSON object")"
        case .valueNotFound(_, let context): return "`\(path(context))` must not be null"
        case .keyNotFound(let key, _): return "`\(key.stringValue)` is missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the body is not JSON" : "`\(path(context))`: \(context.debugDescription)"
        @unknown default: return "the body does not decode"
        }
    }
}
