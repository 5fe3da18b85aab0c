import Foundation
import Testing

@testable import Stages

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
        // A date of the clock is cut to its millisecond, and reads back to within it, writing the same text again.
        #expect(StoredDates.text(of: Date(timeIntervalSince1970: 1.9996)) == "1970-01-01T00:00:01.999Z")
        let written = try encoder.encode(Stamp(at: Date(timeIntervalSince1970: 1_764_506_983.1237)))
        let read = try decoder.decode(Stamp.self, from: written)
        let again = try encoder.encode(read)
        #expect(abs(read.at.timeIntervalSince1970 - 1_764_506_983.123) < 0.0005 && again == written)
        // A record an earlier runner wrote, in whole seconds, still reads.
        let old = try decoder.decode(Stamp.self, from: Data(#"{"at":"2026-11-30T12:49:43Z"}"#.utf8))
        #expect(String(decoding: try encoder.encode(old), as: UTF8.self) == #"{"at":"2026-11-30T12:49:43.000Z"}"#)
    }
}
