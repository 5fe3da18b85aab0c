import Foundation

/// The original API's `frameAspectRatio`: an aspect (`16:9`) or a Runway ratio (`1280:720`). Aspects map to the
/// Runway ratio of that shape (Gen-4's sizes); anything else is passed on as a ratio and checked against the model.
enum AspectRatio {
    static let aspects: [String: String] = [
        "16:9": "1280:720", "9:16": "720:1280", "1:1": "960:960", "4:3": "1104:832", "3:4": "832:1104",
        "21:9": "1584:672",
    ]

    /// The Runway ratio for `text`.
    static func runwayRatio(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return aspects[trimmed] ?? trimmed
    }
}
