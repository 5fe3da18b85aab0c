import Foundation
@testable import Stages
import Testing

/// Dates in stored JSON: written to the millisecond, and read back to the same text, whole seconds too.
@Suite struct StoredDatesTests {
    struct Stamp: Codable { var at: Date }

    @Test func everyMillisecondReadsBackToTheTextItWasReadFrom() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom(StoredDates.encode)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom(StoredDates.decode)
        for milliseconds in 0..<1000 {
            let json = String(format: #"{"at":"2026-11-30T12:49:43.%03dZ"}"#, milliseconds)
            let stamp = try decoder.decode(Stamp.self, from: Data(json.utf8))
            #expect(String(decoding: try encoder.encode(stamp), as: UTF8.self) == json)
        }
        // A record an earlier runner wrote, in whole seconds, still reads.
        let old = try decoder.decode(Stamp.self, from: Data(#"{"at":"2026-11-30T12:49:43Z"}"#.utf8))
        #expect(String(decoding: try encoder.encode(old), as: UTF8.self) == #"{"at":"2026-11-30T12:49:43.000Z"}"#)
    }
}
