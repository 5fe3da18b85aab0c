import ArgumentParser
import Foundation
import Manifest
import Runway
import Storage

/// `runner models`: the model catalog (the one table validation, plans and the clients read), and with a key,
/// what the Runway account allows: its per-model limits, today's usage and the credit balance.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract:
            "List the models: ratios, durations, options, price per second, last-keyframe support; with a key, the account's limits.",
        discussion: """
            With RUNWAYML_API_SECRET set, the account is read (GET /v1/organization, free; RUNWAYML_BASE_URL as in
            Runway's SDKs): each model's concurrency and daily limits, the past 24 hours' generations, and the balance.
            Without it, only the catalog, which needs no network.

            --format json prints the catalog as data (Tests/RunwayTests/Double/catalog.json is this output without a
            key), plus an `account` member with a key. --format markdown prints the table of docs/manifest.md.

            Exit status: 0; 1 when the account could not be read (the catalog is printed all the same).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: "text, json or markdown.")
    var format: Format = .text

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var account: Organization?
        var problem: String?
        // The Markdown table is the catalog alone (it goes into the docs): no account is read for it.
        if format != .markdown, let key = environment[RunwayAPI.apiKeyVariable], !key.isEmpty {
            do {
                account = try await Self.organization(key: key, environment: environment)
            } catch {
                problem = "the Runway account could not be read: \(error)"
            }
        }
        switch format {
        case .json:
            var members: [(String, JSONValue)]
            if case .object(let catalog) = ModelCatalog.json() { members = catalog } else { members = [] }
            if let account { members.append(("account", Self.json(account))) }
            print(JSONValue.object(members).serialized(indent: 2))
        case .markdown:
            print(ModelCatalog.markdown(), terminator: "")
        case .text:
            print(Self.table(account: account), terminator: "")
        }
        if let problem {
            FileHandle.standardError.write(Data("runner models: \(problem)\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
    }

    /// The account, from the environment's key and base URL (the trusted side's own settings, as in Runway's SDKs).
    static func organization(key: String, environment: [String: String]) async throws -> Organization {
        let text = environment[RunwayAPI.baseURLVariable] ?? RunwayAPI.defaultBaseURL
        guard let base = URL(string: text), base.scheme == "https" || base.scheme == "http", base.host != nil else {
            throw ValidationError("\(RunwayAPI.baseURLVariable) is not an http(s) URL")
        }
        let client = RunwayClient(
            configuration: .init(
                baseURL: base, apiKey: Secret(key), keySource: RunwayAPI.apiKeyVariable,
                secrets: SecretValues(environment: environment)))
        return try await client.organization()
    }

    /// The catalog, one line per model, with the account's columns when it was read.
    static func table(account: Organization?) -> String {
        var rows: [[String]] = [
            ["model", "provider", "ratios", "duration (s)", "options", "credits/s", "last keyframe"]
        ]
        if account != nil { rows[0] += ["in flight", "daily limit", "used today"] }
        for model in ModelCatalog.models {
            var row = [
                model.name, model.provider.rawValue, model.ratios.summary, model.durations.summary,
                ModelCatalog.optionsSummary(model), ModelCatalog.priceSummary(model),
                model.acceptsLastKeyframe ? "yes" : "no",
            ]
            if let account {
                let limits = model.provider == .runway ? account.limits[model.name] : nil
                row += [
                    limits?.maxConcurrentGenerations.map(String.init) ?? "-",
                    limits?.maxDailyGenerations.map(String.init) ?? "-",
                    model.provider == .runway ? String(account.dailyGenerations[model.name] ?? 0) : "-",
                ]
            }
            rows.append(row)
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            out +=
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        out +=
            "retired: "
            + ModelCatalog.retiredModels.map { "\($0.name) (use \($0.replacement))" }.joined(separator: ", ") + "\n"
        if let account {
            out +=
                account.creditBalance.map {
                    String(format: "credit balance: %.0f (%.2f USD)\n", $0, $0 * ModelCatalog.dollarsPerCredit)
                }
                ?? "credit balance: not given\n"
        } else {
            out += "set \(RunwayAPI.apiKeyVariable) to see your account's limits, today's usage and balance\n"
        }
        return out
    }

    static func json(_ account: Organization) -> JSONValue {
        let names = Set(account.limits.keys).union(account.dailyGenerations.keys).sorted()
        func optional(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
        return .object([
            ("creditBalance", account.creditBalance.map { .double($0) } ?? .null),
            ("maxMonthlyCreditSpend", account.maxMonthlyCreditSpend.map { .double($0) } ?? .null),
            (
                "models",
                .object(
                    names.map { name in
                        (
                            name,
                            .object([
                                ("maxConcurrentGenerations", optional(account.limits[name]?.maxConcurrentGenerations)),
                                ("maxDailyGenerations", optional(account.limits[name]?.maxDailyGenerations)),
                                ("dailyGenerations", .int(account.dailyGenerations[name] ?? 0)),
                            ])
                        )
                    })
            ),
        ])
    }
}
