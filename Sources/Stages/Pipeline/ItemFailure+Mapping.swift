import Media

extension ItemFailure {
    /// `error` as a failure when nothing more specific is known: an `ItemFailure` as it is, a cancellation (Swift's,
    /// or a media operation's stopped on request) as one, anything else as a local failure with its description.
    public static func mapping(_ error: any Error) -> ItemFailure {
        if let failure = error as? ItemFailure { return failure }
        if error is CancellationError { return .cancelled }
        if let media = error as? MediaError, case .cancelled = media { return .cancelled }
        return ItemFailure(.local, reason: "\(error)")
    }
}
