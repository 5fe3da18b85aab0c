/// Where a stage reads or writes: an S3 object or prefix, or a local file or folder.
///
/// A trailing `/` means a prefix (a folder). Local paths are relative to the manifest's folder
/// until `resolved(against:)` makes them absolute.
public enum Location: Sendable, Hashable, CustomStringConvertible {
    /// `s3://bucket/key`; `key` may be empty (the whole bucket) or end with `/` (a prefix).
    case s3(bucket: String, key: String)
    /// A path on this machine; ends with `/` when it names a folder.
    case local(path: String)

    /// Why a text is not a location, as a sentence a user can act on.
    public enum ParseError: Error, Equatable, CustomStringConvertible, Sendable {
        case empty
        case missingBucket(String)
        case invalidBucket(String, reason: String)
        case unsupportedScheme(String)

        public var description: String {
            switch self {
            case .empty:
                return "a location cannot be empty; write a path such as ./out/ or an s3://bucket/prefix/ URL"
            case .missingBucket(let text):
                return "\"\(text)\" names no bucket; write s3://BUCKET/prefix/"
            case .invalidBucket(let bucket, let reason):
                return "\"\(bucket)\" is not a valid S3 bucket name: \(reason)"
            case .unsupportedScheme(let scheme):
                return "\"\(scheme)://\" locations are not supported; use s3:// or a local path"
            }
        }

        /// The error without the text it quotes, saying what `display` (the text as written, references in place of
        /// the values they brought) turned into.
        public func reasonOnly(displaying display: String) -> String {
            let written = "\"\(YAMLNode.abbreviated(display, limit: 200))\" once interpolated"
            switch self {
            case .empty:
                return "\(written) is empty; a location is a path such as ./out/ or an s3://bucket/prefix/ URL"
            case .missingBucket:
                return "\(written) names no bucket; write s3://BUCKET/prefix/"
            case .invalidBucket(_, let reason):
                return "\(written) does not name a valid S3 bucket: \(reason)"
            case .unsupportedScheme:
                return "\(written) has a scheme other than s3://; use s3:// or a local path"
            }
        }
    }

    /// Parses `s3://bucket/key` or a local path.
    ///
    /// The errors quote the text; for a text that holds values from the environment, describe the error with
    /// `reasonOnly(displaying:)` instead.
    public init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty else { throw .empty }
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = String(rest.prefix { $0 != "/" })
            guard !bucket.isEmpty else { throw .missingBucket(text) }
            if let reason = Location.bucketNameProblem(bucket) { throw .invalidBucket(bucket, reason: reason) }
            let key = rest.dropFirst(bucket.count).drop { $0 == "/" }
            self = .s3(bucket: bucket, key: String(key))
            return
        }
        if let schemeEnd = text.range(of: "://") {
            let scheme = String(text[..<schemeEnd.lowerBound])
            if !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) {
                throw .unsupportedScheme(scheme)
            }
        }
        self = .local(path: text)
    }

    /// Whether this names a folder or prefix (a trailing `/`, or a whole bucket).
    public var isPrefix: Bool {
        switch self {
        case .s3(_, let key): return key.isEmpty || key.hasSuffix("/")
        case .local(let path): return path.hasSuffix("/")
        }
    }

    /// Whether this is in S3.
    public var isS3: Bool {
        if case .s3 = self { return true }
        return false
    }

    /// A local relative path made absolute against `folder`; S3 locations and absolute paths are unchanged.
    /// `.` and `..` segments are folded away (by text: symbolic links are not followed), a trailing `/` is kept.
    public func resolved(against folder: String) -> Location {
        guard case .local(let path) = self else { return self }
        let absolute = path.hasPrefix("/") ? path : (folder.hasSuffix("/") ? folder : folder + "/") + path
        var segments: [Substring] = []
        for segment in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let folded = "/" + segments.joined(separator: "/")
        return .local(path: folded + (path.hasSuffix("/") && folded != "/" ? "/" : ""))
    }

    /// This location with `child` appended (a prefix plus a name).
    public func appending(_ child: String) -> Location {
        switch self {
        case .s3(let bucket, let key):
            let base = key.isEmpty || key.hasSuffix("/") ? key : key + "/"
            return .s3(bucket: bucket, key: base + child)
        case .local(let path):
            let base = path.hasSuffix("/") ? path : path + "/"
            return .local(path: base + child)
        }
    }

    public var description: String {
        switch self {
        case .s3(let bucket, let key): return "s3://\(bucket)/\(key)"
        case .local(let path): return path
        }
    }

    /// The S3 rules for a bucket name (general purpose buckets), or nil when it follows them.
    static func bucketNameProblem(_ name: String) -> String? {
        if name.count < 3 || name.count > 63 { return "it must be 3 to 63 characters long" }
        let allowed = name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
        if !allowed { return "use lower-case letters, digits, '-' and '.' only" }
        guard let first = name.first, let last = name.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return "it must begin and end with a letter or digit" }
        if name.contains("..") { return "it cannot contain two dots in a row" }
        return nil
    }
}
