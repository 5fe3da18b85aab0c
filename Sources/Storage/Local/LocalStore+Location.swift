import Manifest

extension LocalStore {
    /// The file's absolute path.
    public func location(of key: String) -> Location { .local(path: path(key)) }

    /// The file's absolute path: a local store's objects are files.
    public func localPath(of key: String) -> String? { path(key) }
}
