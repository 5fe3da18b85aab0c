import Foundation
import Runner
import Stages

/// A run event as one line of JSON, exactly as `runner apply --format json` writes it (sorted keys, unescaped
/// slashes, dates as the stored records write them), so a client reads the server's stream as it reads the CLI's.
enum EventJSON {
    static func line(_ event: RunEvent) -> String { encode(event) }

    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom(StoredDates.encode)
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
