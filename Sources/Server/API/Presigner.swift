import Foundation
import Manifest
import Stages

/// Signs links to the objects the server made (clips, films) and lists: a client fetches them straight from S3
/// until they expire. A local location gets its `file://` URL.
struct Presigner: Sendable {
    let stores: StoreCache
    /// How long a link lasts.
    let expiry: Duration

    func link(_ location: String) async -> String? {
        guard let parsed = try? Location(parsing: location) else { return nil }
        guard let opened = try? await stores.open(parsed) else { return nil }
        return try? await opened.store.presignGet(opened.key, expiry: expiry).absoluteString
    }
}
