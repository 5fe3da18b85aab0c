import Foundation
import Manifest

extension Location {
    /// The location as a store names what it writes there (`ObjectStore.location(of:)`): a local path made
    /// absolute with `.` and `..` folded and one leading `/`; an S3 location as it is. The runner's own output
    /// location of an item, to compare a checkpoint record's `output` with.
    public var standardized: Location {
        guard case .local(let path) = self else { return self }
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        return .local(path: "/" + standardized.drop { $0 == "/" })
    }
}
