/// What a provider's account allows, read once per plan or apply (Runway's `GET /v1/organization`, a free read):
/// per model, tasks at once and tasks a day, and the past day's tasks.
public struct ProviderAccount: Sendable, Equatable {
    /// One model's limits.
    public struct Limits: Sendable, Equatable {
        /// Tasks that run at once; more wait.
        public var concurrent: Int?
        /// Tasks accepted in a rolling 24 hours; more are refused.
        public var daily: Int?

        /// Limits; nil is no limit.
        public init(concurrent: Int? = nil, daily: Int? = nil) {
            self.concurrent = concurrent
            self.daily = daily
        }
    }

    /// Limits by model name.
    public var limits: [String: Limits]
    /// Tasks in the past 24 hours, by model name.
    public var usedToday: [String: Int]

    /// An account's limits and usage.
    public init(limits: [String: Limits] = [:], usedToday: [String: Int] = [:]) {
        self.limits = limits
        self.usedToday = usedToday
    }

    /// Tasks of `model` still allowed today: nil when the account sets no daily limit for it.
    public func generationsLeft(for model: String) -> Int? {
        guard let daily = limits[model]?.daily else { return nil }
        return max(0, daily - (usedToday[model] ?? 0))
    }
}
