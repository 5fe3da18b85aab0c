import Foundation

/// What `GET /v1/organization` says about the account: the balance, the tier's per-model limits, and the past
/// day's generations per model. Unknown fields are ignored; a limit given as null (or not given) is no limit.
public struct Organization: Sendable, Equatable, Codable {
    /// One model's limits on this tier.
    public struct Limits: Sendable, Equatable, Codable {
        /// Tasks that run at once; more wait THROTTLED.
        public var maxConcurrentGenerations: Int?
        /// Tasks accepted in a rolling 24 hours; more are refused with HTTP 429.
        public var maxDailyGenerations: Int?

        public init(maxConcurrentGenerations: Int? = nil, maxDailyGenerations: Int? = nil) {
            self.maxConcurrentGenerations = maxConcurrentGenerations
            self.maxDailyGenerations = maxDailyGenerations
        }
    }

    /// Credits left.
    public var creditBalance: Double?
    /// Credits the tier may buy a month.
    public var maxMonthlyCreditSpend: Double?
    /// Limits by model name.
    public var limits: [String: Limits]
    /// Generations in the past 24 hours, by model name.
    public var dailyGenerations: [String: Int]

    public init(
        creditBalance: Double? = nil, maxMonthlyCreditSpend: Double? = nil, limits: [String: Limits] = [:],
        dailyGenerations: [String: Int] = [:]
    ) {
        self.creditBalance = creditBalance
        self.maxMonthlyCreditSpend = maxMonthlyCreditSpend
        self.limits = limits
        self.dailyGenerations = dailyGenerations
    }

    /// Generations of `model` still allowed today: nil when the account sets no daily limit for it.
    public func generationsLeft(for model: String) -> Int? {
        guard let daily = limits[model]?.maxDailyGenerations else { return nil }
        return max(0, daily - (dailyGenerations[model] ?? 0))
    }

    /// Decodes the answer, in the field names of the official SDK (`tier.models`, `usage.models`).
    static func decode(_ data: Data) throws(RunwayError) -> Organization {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformedResponse("the organization is not a JSON object")
        }
        func number(_ value: Any?) -> Double? {
            guard let number = (value as? NSNumber)?.doubleValue, number.isFinite else { return nil }
            return number
        }
        func count(_ value: Any?) -> Int? {
            guard let number = number(value), number >= 0, number < Double(Int32.max) else { return nil }
            return Int(number)
        }
        let tier = object["tier"] as? [String: Any]
        var limits: [String: Limits] = [:]
        for (model, value) in tier?["models"] as? [String: Any] ?? [:] {
            let entry = value as? [String: Any]
            limits[model] = Limits(
                maxConcurrentGenerations: count(entry?["maxConcurrentGenerations"]),
                maxDailyGenerations: count(entry?["maxDailyGenerations"]))
        }
        var usage: [String: Int] = [:]
        for (model, value) in (object["usage"] as? [String: Any])?["models"] as? [String: Any] ?? [:] {
            if let used = count((value as? [String: Any])?["dailyGenerations"]) { usage[model] = used }
        }
        return Organization(
            creditBalance: number(object["creditBalance"]),
            maxMonthlyCreditSpend: number(tier?["maxMonthlyCreditSpend"]),
            limits: limits, dailyGenerations: usage)
    }
}

extension RunwayClient {
    /// The account's balance, limits and usage (a free read; `validate` never makes it).
    public func organization() async throws(RunwayError) -> Organization {
        let response = try await read(apiRequest("GET", "/v1/organization"))
        guard response.status == 200 else { throw failure(response, attempts: RunwayClient.readAttempts) }
        return try Organization.decode(response.body)
    }
}
