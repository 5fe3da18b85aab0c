import Foundation
import Manifest

extension GeneratorRegistry {
    /// What reading a provider's account gave.
    public enum AccountReading: Sendable {
        /// The account's limits.
        case read(ProviderAccount)
        /// The account could not be read: why, as a sentence.
        case unreadable(String)
    }

    /// Reads `provider`'s account (a free read), or nil when it has none to read: a local generator, or a Runway
    /// provider without a key (skipped quietly; the manifest's settings decide alone).
    public static func account(of provider: Provider, environment: [String: String]) async -> AccountReading? {
        guard case .runway(let settings) = provider.settings, !settings.apiKey.isEmpty else { return nil }
        do {
            guard let account = try await generator(for: provider, environment: environment).account() else {
                return nil
            }
            return .read(account)
        } catch {
            return .unreadable("\(error)")
        }
    }
}
