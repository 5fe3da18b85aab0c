import Foundation
import Manifest
import Synchronization

/// The credentials a process signs with, fetched once and fetched again before they expire, so a run longer than
/// temporary credentials' lifetime keeps working. Every store of one configuration shares one cache (`shared`),
/// and callers that arrive while a fetch is under way wait for that fetch instead of starting their own.
///
/// Refresh rule: credentials with an expiration are replaced once less than a fifth of their lifetime, and at most
/// five minutes, is left (the SDKs' advisory window); if the new fetch fails while the old ones are still valid,
/// the old ones are used and the next request tries again.
public actor CredentialCache {
    private let chain: CredentialChain
    private var current: (credentials: AWSCredentials, fetched: Date)?
    private var inFlight: Task<Result<AWSCredentials, StorageError>, Never>?

    /// A cache over `chain`.
    public init(chain: CredentialChain) { self.chain = chain }

    /// A cache that always answers `credentials` (tests and embedders that hold their own keys).
    public init(fixed credentials: AWSCredentials) {
        chain = CredentialChain([])
        current = (credentials, Date())
    }

    /// Valid credentials: the cached ones, or fresh ones when none are cached or they are about to expire.
    public func credentials() async throws(StorageError) -> AWSCredentials {
        let now = Date()
        if let current, !Self.needsRefresh(current.credentials, fetched: current.fetched, now: now) {
            return current.credentials
        }
        let task: Task<Result<AWSCredentials, StorageError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            let chain = self.chain
            task = Task { () -> Result<AWSCredentials, StorageError> in
                do throws(StorageError) { return .success(try await chain.resolve()) } catch { return .failure(error) }
            }
            inFlight = task
        }
        let result = await task.value
        if inFlight == task { inFlight = nil }
        switch result {
        case .success(let fresh):
            current = (fresh, Date())
            return fresh
        case .failure(let error):
            // Still-valid credentials beat a failed refresh.
            if let current, let expiration = current.credentials.expiration, expiration > Date().addingTimeInterval(10)
            {
                return current.credentials
            }
            throw error
        }
    }

    /// Whether credentials fetched at `fetched` should be replaced at `now`.
    static func needsRefresh(_ credentials: AWSCredentials, fetched: Date, now: Date) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        let lifetime = max(expiration.timeIntervalSince(fetched), 0)
        let window = min(300, lifetime / 5)
        return now >= expiration.addingTimeInterval(-window)
    }

    // MARK: - Sharing

    private static let registry = Mutex<[String: CredentialCache]>([:])

    /// The process's one cache for credentials resolved from `environment` and `profile` (as
    /// `CredentialChain.standard` resolves them), so every bucket's store refreshes the same credentials once.
    public static func shared(environment: [String: String], profile: String?, secrets: SecretValues) -> CredentialCache
    {
        // Only what the chain reads decides which credentials these are (the text stays in memory, never printed).
        let relevant = environment.filter { $0.key.hasPrefix("AWS_") || $0.key == "HOME" }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        let key = (profile ?? "") + "\u{0}" + relevant
        return registry.withLock { caches in
            if let cache = caches[key] { return cache }
            let cache = CredentialCache(chain: .standard(environment: environment, profile: profile, secrets: secrets))
            caches[key] = cache
            return cache
        }
    }
}
