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
            return
                "`\(path(context))` must be \(type == Int.self ? "a whole number" : type == Bool.self ? "true or false" : type == String.self ? "a string" : "\(type)")"
        case .valueNotFound(_, let context): return "`\(path(context))` must not be null"
        case .keyNotFound(let key, _): return "`\(key.stringValue)` is missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "the body is not JSON" : "`\(path(context))`: \(context.debugDescription)"
        @unknown default: return "the body does not decode"
        }
    }
}
