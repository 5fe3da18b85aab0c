import Foundation
import Manifest
import Stages
import Synchronization

/// What the providers' accounts allow, read once per plan or apply (`GET /v1/organization`, a free read) for each
/// Runway provider a generate stage uses. Never read by `validate`. A provider whose account cannot be read (no key,
/// no network) has no entry: the manifest's settings then decide alone, and `problems` says why.
struct AccountLimits: Sendable {
    /// By provider name.
    var organizations: [String: ProviderAccount] = [:]
    /// Why an account could not be read, by provider name.
    var problems: [String: String] = [:]

    /// The account's concurrency for `model` of `provider`, when it sets one.
    func concurrency(provider: String, model: String) -> Int? {
        organizations[provider]?.limits[model]?.concurrent
    }
}

extension PipelineEngine {
    /// Reads the account of every Runway provider a generate stage uses; a provider without a key is skipped quietly.
    func readAccounts() async -> AccountLimits {
        var limits = AccountLimits()
        var seen = Set<String>()
        for stage in pipeline.stages {
            guard case .work(let work)? = try? StageRegistry.stage(for: stage, in: pipeline),
                let provider = work.schedule.provider,
                seen.insert(provider.name).inserted
            else { continue }
            switch await GeneratorRegistry.account(of: provider, environment: options.environment) {
            case .read(let account)?: limits.organizations[provider.name] = account
            case .unreadable(let problem)?: limits.problems[provider.name] = problem
            case nil: continue
            }
        }
        return limits
    }

    /// Items in flight for a stage: its `concurrency`; else the account's limit for its model; else its provider's
    /// concurrency (one for a stage without a provider). Never more than the provider's own `concurrency` when the
    /// manifest sets one.
    func lanes(of schedule: StageSchedule, accounts: AccountLimits) -> Int {
        guard let provider = schedule.provider else { return max(1, schedule.concurrency ?? 1) }
        let account = accounts.concurrency(provider: provider.name, model: schedule.model ?? "")
        let wanted = schedule.concurrency ?? account ?? provider.concurrency
        return max(1, min(wanted, providerLimit(provider, accounts: accounts)))
    }

    /// Whether the account, not the manifest, sets how many items of a stage run at once.
    func lanesFromAccount(_ schedule: StageSchedule, accounts: AccountLimits) -> Bool {
        guard schedule.concurrency == nil, let provider = schedule.provider else { return false }
        return accounts.concurrency(provider: provider.name, model: schedule.model ?? "") != nil
    }

    /// The gate a provider's tasks pass: the account's window shared with the process's other runs when the options
    /// give `windows` (`runner serve`), else this run's own limiter.
    func providerGate(_ provider: Provider, accounts: AccountLimits) -> any ConcurrencyGate {
        let limit = providerLimit(provider, accounts: accounts)
        guard let windows = options.windows, let identity = AccountWindows.identity(of: provider) else {
            return Limiter(limit: limit)
        }
        return LaneGate(
            window: windows.window(for: identity, limit: sharedLimit(provider, accounts: accounts)), lane: options.lane)
    }

    /// The gate a paying provider's items pass before they fetch and prepare their frames, when runs share the
    /// account (`runner serve`): twice the account's places, shared fairly by the runs, and left once the item takes
    /// its provider's place. Without it, fifty runs' two hundred frames would all be prepared at once, every one
    /// finishing late, and the account would idle until the first was ready; with it, frames are ready one window
    /// ahead of the tasks. Nil for a run alone (its stage's lanes bound its preparations) or a local provider.
    func stagingGate(_ provider: Provider, accounts: AccountLimits) -> (any ConcurrencyGate)? {
        guard takesPlaceAtSubmission(provider), let windows = options.windows,
            let identity = AccountWindows.identity(of: provider)
        else { return nil }
        let places = AccountWindows.stagedPerPlace * sharedLimit(provider, accounts: accounts)
        return LaneGate(window: windows.window(for: identity + "/staging", limit: places), lane: options.lane)
    }

    /// The places of a provider's window shared by the runs: the account's own limit when the manifest leaves it to
    /// the account (`providerLimit` is unbounded then), else the provider's.
    private func sharedLimit(_ provider: Provider, accounts: AccountLimits) -> Int {
        let limit = providerLimit(provider, accounts: accounts)
        let accountLimit = accounts.organizations[provider.name]?.limits.values.compactMap(\.concurrent).max()
        return limit == Int(Int32.max) ? (accountLimit ?? provider.concurrency) : limit
    }

    /// Whether an item takes its provider's place only when it submits a paid task (`ItemRun.mayPay`): Runway's
    /// places are for its tasks, not for fetching and preparing frames. A local generator works in its place from
    /// the item's start.
    func takesPlaceAtSubmission(_ provider: Provider) -> Bool {
        provider.type == .runway
    }

    /// The most tasks a provider runs at once over all its stages: its `concurrency` when set (or when no account
    /// speaks for it); otherwise the account's limits, which are per model, hold through each stage's window.
    func providerLimit(_ provider: Provider, accounts: AccountLimits) -> Int {
        if !provider.concurrencyIsSet, accounts.organizations[provider.name] != nil {
            return Int(Int32.max)
        }
        return provider.concurrency
    }
}

/// Generations left today per provider and model, counted down as this run submits: the run stops submitting at 0
/// instead of meeting Runway's 429.
final class DailyAllowance: Sendable {
    private struct Entry: Sendable {
        var left: Int
        let limit: Int
        let usedBefore: Int
    }

    private let state: Mutex<[String: Entry]>
    /// When this run first submitted: the day's window frees from then on, at the latest 24 hours later.
    private let firstSubmission = Mutex<Date?>(nil)

    init(_ accounts: AccountLimits) {
        var entries: [String: Entry] = [:]
        for (provider, organization) in accounts.organizations {
            for (model, limits) in organization.limits {
                guard let daily = limits.daily, let left = organization.generationsLeft(for: model) else { continue }
                entries[provider + "/" + model] = Entry(
                    left: left, limit: daily, usedBefore: organization.usedToday[model] ?? 0)
            }
        }
        state = Mutex(entries)
    }

    /// Takes one generation of `model` from `provider`'s allowance, or returns why none is left.
    func take(provider: String, model: String, now: Date = Date()) -> String? {
        let refusal: String? = state.withLock { entries in
            guard var entry = entries[provider + "/" + model] else { return nil }
            guard entry.left > 0 else {
                return
                    "Runway's daily limit of \(entry.limit) \(model) generations is reached (\(entry.usedBefore) in the past 24 hours "
                    + "before this run, \(entry.limit - entry.usedBefore > 0 ? entry.limit - entry.usedBefore : 0) by it)"
            }
            entry.left -= 1
            entries[provider + "/" + model] = entry
            return nil
        }
        guard let refusal else {
            firstSubmission.withLock { if $0 == nil { $0 = now } }
            return nil
        }
        let resets = (firstSubmission.withLock { $0 } ?? now).addingTimeInterval(24 * 3600)
        let time = ISO8601DateFormatter().string(from: resets)
        return refusal
            + "; later clips were not submitted. The limit counts a rolling 24 hours, so room returns as the "
            + "day's generations age out, for this run's by \(time) at the latest; rerun then, or raise your tier"
    }
}
