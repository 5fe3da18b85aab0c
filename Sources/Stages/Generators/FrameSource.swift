import Foundation
import Manifest

/// Where a frame's image is, as a generator needs it.
public enum FrameSource: Sendable, Equatable {
    /// A file on this machine.
    case file(path: String)
    /// A link the provider can fetch (an S3 frame's presigned GET).
    case link(URL)
}
