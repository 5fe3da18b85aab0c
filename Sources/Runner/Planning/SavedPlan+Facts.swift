import Foundation
import Manifest
import Storage

/// The pieces of a saved plan that are worked out the same way wherever they are built: digests of the manifest and of
/// its values, and the catalog's prices. The builder from a plan made now calls these, so the plan written by `plan
/// --out` and the one `apply FILE` makes to compare with it cannot differ by how a fact was written down.
extension SavedPlan.ManifestSource {
    /// The source of a manifest at `path` (relative to the plan file's folder, or as given) whose file holds `bytes`,
    /// and the values interpolated into it that are not secrets (the caller leaves secrets out).
    public init(path: String, bytes: Data, values: [SavedPlan.InterpolatedValue]) throws(DigestError) {
        self.init(path: path, sha256: try SHA256Digest.hex(of: bytes), values: values)
    }
}

extension SavedPlan.InterpolatedValue {
    /// The digest of `value`, read by the manifest as `reference` (`vars.NAME` or `env:NAME`). Never call this for a
    /// secret: its digest would let anyone holding the plan test guesses of it.
    public init(reference: String, value: String) throws(DigestError) {
        self.init(reference: reference, sha256: try SHA256Digest.hex(of: Data(value.utf8)))
    }
}

extension SavedPlan.Prices {
    /// The catalog's prices of `models` (provider type and model name; repeats and unknown models are left out), at
    /// the catalog's dollars per credit.
    public static func catalog(_ models: [(provider: ProviderType, model: String)]) -> SavedPlan.Prices {
        var prices: [SavedPlan.Price] = []
        for (provider, name) in models {
            guard let spec = ModelCatalog.model(named: name, for: provider),
                !prices.contains(where: { $0.provider == provider.rawValue && $0.model == name })
            else { continue }
            prices.append(
                .init(
                    provider: provider.rawValue, model: name, creditsPerSecond: Double(spec.price.perSecond),
                    creditsPerSecondWithAudio: spec.price.perSecondWithAudio.map(Double.init)))
        }
        return .init(dollarsPerCredit: ModelCatalog.dollarsPerCredit, models: prices)
    }
}

extension SavedPlan {
    /// What `apply FILE` does with the plan made now: throws `StalePlan` with the changes that refuse, if any, and
    /// otherwise returns the notes to print before applying.
    public func check(against current: SavedPlan, file: String) throws(StalePlan) -> [PlanChange] {
        let changes = changes(comparedTo: current)
        let refusals = changes.filter { $0.severity == .refuses }
        guard refusals.isEmpty else { throw StalePlan(file: file, changes: refusals) }
        return changes
    }
}
