/// Whom a request may act for.
public enum Caller: Sendable, Equatable {
    /// No tokens are configured (the server listens on loopback only): any user.
    case open
    /// A token with `*`: any user.
    case everyone
    /// A token for these users only.
    case users(Set<UserID>)

    /// Whether the caller may act for `user`.
    public func may(actFor user: UserID) -> Bool {
        switch self {
        case .open, .everyone: return true
        case .users(let users): return users.contains(user)
        }
    }

    /// The users the caller may see when it names none; nil: all.
    public var visibleUsers: Set<UserID>? {
        if case .users(let users) = self { return users }
        return nil
    }
}
