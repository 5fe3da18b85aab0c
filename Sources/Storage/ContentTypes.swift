/// The Content-Type to store an object with when the caller names none, from the key's extension.
public enum ContentTypes {
    /// The media type for `key`'s extension; `application/octet-stream` when unknown.
    public static func forKey(_ key: String) -> String {
        let ext = key.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "webp": return "image/webp"
        case "mp4": return "video/mp4"
        case "mov": return "video/quicktime"
        case "webm": return "video/webm"
        case "json": return "application/json"
        case "yaml", "yml": return "application/yaml"
        case "txt": return "text/plain"
        default: return "application/octet-stream"
        }
    }
}
