/// What one request asks of the template: the user, the session and, optionally, the prompt, the ratio and the
/// concurrency. Stored with the run, so that a restarted server runs it again with the same values.
public struct RunVariables: Sendable, Equatable, Codable {
    public var user: UserID
    /// The session (the film's name, `final_video_{session}.mp4`): a plain name.
    public var session: String
    /// Fills `${vars.prompt}` when given.
    public var prompt: String?
    /// The generate stages' ratio when given, as Runway writes it (`1280:720`).
    public var ratio: String?
    /// Clips in flight for this run, at most the template's (and the account's) limit.
    public var concurrency: Int?

    public init(user: UserID, session: String, prompt: String? = nil, ratio: String? = nil, concurrency: Int? = nil) {
        self.user = user
        self.session = session
        self.prompt = prompt
        self.ratio = ratio
        self.concurrency = concurrency
    }

    /// Checks a session name as the manifest checks names: `[A-Za-z0-9][A-Za-z0-9_.-]*`, at most 64 characters.
    public static func checkSession(_ text: String, field: String) throws(ServeError) {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
        guard !text.isEmpty, text.utf8.count <= 64, allowed, text.first != ".", text.first != "-",
            text.first != "_"
        else {
            throw .field(field, "must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit")
        }
    }

    /// The longest prompt taken, in characters (Runway's limit for `promptText`).
    public static let maximumPromptLength = 1000
}
