/// A location is stored as the text a user writes (`s3://bucket/key`, a path), so records that hold one read as
/// they always have.
extension Location: Codable {
    /// Reads a location from its text; text that is not a location is a decoding error naming why.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Location(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Writes the location's text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
