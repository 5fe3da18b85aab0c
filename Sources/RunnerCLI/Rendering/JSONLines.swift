import Foundation
import Stages

/// JSON for machines: one object per line in event streams, pretty for whole documents.
enum JSONLines {
    static func encode<Value: Encodable>(_ value: Value, pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Milliseconds: events of one second must still be told apart and timed. Written as stored records write them,
        // so a run record's `finished` reads the same in the first run's event as in a rerun's.
        encoder.dateEncodingStrategy = .custom(StoredDates.encode)
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
