import Foundation
import Manifest

/// One difference between a saved plan and the plan made now, as a sentence a user can act on.
public struct PlanChange: Sendable, Equatable, CustomStringConvertible {
    /// What the difference does to `apply FILE`.
    public enum Severity: Sendable, Equatable {
        /// Apply refuses: it would do, make or pay for something the saved plan did not say.
        case refuses
        /// Apply goes on and says so: it does less than the plan, with the same result (an item the plan would make
        /// is made already, from the same key).
        case notes
    }

    /// What changed.
    public enum Kind: Sendable, Equatable {
        case runnerVersion
        case pipeline
        case manifest
        case manifestPath
        case value
        case options
        case price
        case stages
        case framesAdded
        case framesRemoved
        case frame
        case file
        case itemsAdded
        case itemsRemoved
        case decision
        case key
        case location
        case credits
    }

    public var severity: Severity
    public var kind: Kind
    /// The stage it is about, if one.
    public var stage: String?
    /// The sentence.
    public var message: String

    /// A change.
    public init(_ severity: Severity, _ kind: Kind, stage: String? = nil, _ message: String) {
        self.severity = severity
        self.kind = kind
        self.stage = stage
        self.message = message
    }

    public var description: String { message }
}

/// `apply FILE` refused: the pipeline is not what it was when the plan was made (`changes` are those that refuse).
public struct StalePlan: Error, Sendable, CustomStringConvertible {
    /// The saved plan's file, as given.
    public let file: String
    public let changes: [PlanChange]

    /// The refusal of `file` for `changes`.
    public init(file: String, changes: [PlanChange]) {
        self.file = file
        self.changes = changes
    }

    public var description: String {
        let shown = changes.prefix(Self.listed).map { "  - \($0.message)" }
        let more = changes.count > Self.listed ? ["  - and \(changes.count - Self.listed) more"] : []
        return "nothing was done: the saved plan \(InertText.escaped(file)) is not what apply would do now "
            + "(\(changes.count) change\(changes.count == 1 ? "" : "s") since it was made):\n"
            + (shown + more).joined(separator: "\n")
            + "\nmake and review the plan again (`runner plan MANIFEST --out FILE`), then apply that one"
    }

    /// How many changes the message lists.
    static let listed = 20
}

extension SavedPlan {
    /// Every difference between this saved plan and `current`, the plan of the same manifest made now, in the order:
    /// runner, manifest, options, prices, then stage by stage (frames, then items). Pure: the caller plans again and
    /// builds `current` with the same builder. An unchanged pipeline gives no change.
    ///
    /// An item whose key was unknown in the plan (a merge whose clips were not made yet) matches any key now: the
    /// plan approved making it from what the earlier stage gives. An item whose decision went from work to done
    /// with the same key (another run made it meanwhile) is a `notes` change; every other change of decision, key,
    /// location, frame, value, price or version `refuses`.
    public func changes(comparedTo current: SavedPlan) -> [PlanChange] {
        var changes: [PlanChange] = []
        // A different runner may key, decide, price and locate differently, so its plan is not this one's to do.
        if runnerVersion != current.runnerVersion {
            changes.append(
                .init(
                    .refuses, .runnerVersion,
                    "the plan was made by runner \(PlanText.shown(runnerVersion)), "
                        + "this is runner \(PlanText.shown(current.runnerVersion)): apply it with the runner that made it, or plan again"
                ))
        }
        if pipeline != current.pipeline || session != current.session {
            changes.append(
                .init(
                    .refuses, .pipeline,
                    "the plan is of pipeline \(PlanText.shown(pipeline)) session "
                        + "\(PlanText.shown(session)), the manifest now says pipeline \(PlanText.shown(current.pipeline)) session "
                        + "\(PlanText.shown(current.session))"))
        }
        if manifest.sha256 != current.manifest.sha256 {
            changes.append(
                .init(
                    .refuses, .manifest,
                    "the manifest changed since the plan was made "
                        + "(sha256:\(manifest.sha256.prefix(8))… then, sha256:\(current.manifest.sha256.prefix(8))… now)"
                ))
        }
        if manifest.path != current.manifest.path {
            changes.append(
                .init(
                    .notes, .manifestPath,
                    "the manifest is read from \(PlanText.shown(current.manifest.path)), "
                        + "the plan's was \(PlanText.shown(manifest.path))"))
        }
        changes += valueChanges(current.manifest.values)
        if options != current.options {
            let flag = { (options: Options) in options.retryFailed ? "with --retry-failed" : "without --retry-failed" }
            changes.append(
                .init(
                    .refuses, .options, "the plan was made \(flag(options)), apply is running \(flag(current.options))")
            )
        }
        let priceChanges = self.priceChanges(current.prices)
        changes += priceChanges
        changes += stageChanges(current, pricesChanged: !priceChanges.isEmpty)
        if current.totals.credits > totals.credits + 1e-9 {
            changes.append(
                .init(
                    .refuses, .credits,
                    "apply would pay up to \(Self.number(current.totals.credits)) credits, more than "
                        + "the \(Self.number(totals.credits)) the plan said"))
        }
        return changes
    }

    private func valueChanges(_ now: [InterpolatedValue]) -> [PlanChange] {
        var changes: [PlanChange] = []
        let then = Dictionary(
            manifest.values.map { ($0.reference, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        let current = Dictionary(now.map { ($0.reference, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        for reference in Set(then.keys).union(current.keys).sorted() where then[reference] != current[reference] {
            let shown = "`${\(PlanText.shown(reference))}`"
            let source = reference.hasPrefix("env:") ? "the environment" : "`--var` or the environment"
            let what: String
            switch (then[reference], current[reference]) {
            case (nil, _): what = "is read now but was not when the plan was made"
            case (_, nil): what = "was read when the plan was made but is not now"
            default:
                what =
                    "has another value than when the plan was made (\(source) gave another); apply with the plan's values"
            }
            changes.append(.init(.refuses, .value, "\(shown) \(what)"))
        }
        return changes
    }

    private func priceChanges(_ now: Prices) -> [PlanChange] {
        var changes: [PlanChange] = []
        if prices.dollarsPerCredit != now.dollarsPerCredit {
            changes.append(
                .init(
                    .refuses, .price,
                    "a credit costs \(Self.number(now.dollarsPerCredit)) USD now, "
                        + "\(Self.number(prices.dollarsPerCredit)) in the plan"))
        }
        for price in prices.models {
            let model = PlanText.shown(price.model)
            guard let new = now.price(provider: price.provider, model: price.model) else {
                changes.append(.init(.refuses, .price, "the plan priced \(model), which apply would not use now"))
                continue
            }
            if new.creditsPerSecond != price.creditsPerSecond {
                changes.append(
                    .init(
                        .refuses, .price,
                        "the price of \(model) changed from \(Self.number(price.creditsPerSecond)) "
                            + "to \(Self.number(new.creditsPerSecond)) credits a second"))
            }
            if new.creditsPerSecondWithAudio != price.creditsPerSecondWithAudio {
                let show = { (value: Double?) in value.map { "\(Self.number($0)) credits a second" } ?? "no price" }
                changes.append(
                    .init(
                        .refuses, .price,
                        "the price of \(model) with audio changed from "
                            + "\(show(price.creditsPerSecondWithAudio)) to \(show(new.creditsPerSecondWithAudio))"))
            }
        }
        for price in now.models where prices.price(provider: price.provider, model: price.model) == nil {
            changes.append(
                .init(
                    .refuses, .price,
                    "apply would use \(PlanText.shown(price.model)) "
                        + "(\(Self.number(price.creditsPerSecond)) credits a second), which the plan did not price"))
        }
        return changes
    }

    private func stageChanges(_ current: SavedPlan, pricesChanged: Bool) -> [PlanChange] {
        var changes = Self.membership(
            then: stages.map(\.name), now: current.stages.map(\.name), noun: "stage", stage: nil,
            name: "the pipeline", kinds: (.stages, .stages))
        for then in stages {
            guard let now = current.stage(named: then.name) else { continue }
            let name = "stage `\(PlanText.shown(then.name))`"
            if then.type != now.type {
                changes.append(
                    .init(
                        .refuses, .stages, stage: then.name,
                        "\(name) is a \(PlanText.shown(now.type)) stage now, "
                            + "a \(PlanText.shown(then.type)) stage in the plan"))
                continue
            }
            changes += frameChanges(then, now, name: name)
            let files = fileChanges(then, now, name: name)
            changes += files
            // A changed own file changes the stage's key too: the file is named, not only the key.
            changes += itemChanges(then, now, name: name, pricesChanged: pricesChanged, keyNamed: !files.isEmpty)
        }
        return changes
    }

    private func frameChanges(_ then: Stage, _ now: Stage, name: String) -> [PlanChange] {
        let before = then.frames ?? []
        let after = now.frames ?? []
        let new = Dictionary(after.map { ($0.name, $0.digest) }, uniquingKeysWith: { first, _ in first })
        var changes = Self.membership(
            then: before.map(\.name), now: after.map(\.name), noun: "frame", stage: then.name, name: name,
            kinds: (.framesAdded, .framesRemoved))
        for frame in before {
            guard let digest = new[frame.name], digest != frame.digest else { continue }
            changes.append(
                .init(
                    .refuses, .frame, stage: then.name,
                    "frame \(PlanText.shown(frame.name)) changed "
                        + "(\(Self.abbreviated(frame.digest)) then, \(Self.abbreviated(digest)) now)"))
        }
        return changes
    }

    /// The files a stage reads itself whose content is not what the plan found, by role (a file whose role or place
    /// changed is a manifest change, refused as such).
    private func fileChanges(_ then: Stage, _ now: Stage, name: String) -> [PlanChange] {
        let current = Dictionary(
            (now.files ?? []).map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [PlanChange] = []
        for file in then.files ?? [] {
            guard let new = current[file.role], new.location == file.location, new.digest != file.digest else {
                continue
            }
            let shown = PlanText.shown(
                file.location.hasPrefix("./") ? String(file.location.dropFirst(2)) : file.location)
            let state = { (digest: String?) in digest.map(Self.abbreviated) ?? "unreadable" }
            changes.append(
                .init(
                    .refuses, .file, stage: then.name,
                    "\(shown) (`\(PlanText.shown(file.role))` of \(name)) changed since the plan was made "
                        + "(\(state(file.digest)) then, \(state(new.digest)) now); make and review the plan again"))
        }
        return changes
    }

    private func itemChanges(_ then: Stage, _ now: Stage, name: String, pricesChanged: Bool, keyNamed: Bool)
        -> [PlanChange]
    {
        var changes = Self.membership(
            then: then.items.map(\.item), now: now.items.map(\.item), noun: "item", stage: then.name,
            name: name, kinds: (.itemsAdded, .itemsRemoved))
        let current = Dictionary(now.items.map { ($0.item, $0) }, uniquingKeysWith: { first, _ in first })
        for old in then.items {
            guard let new = current[old.item] else { continue }
            let item = "\(name): item \(PlanText.shown(old.item))"
            // A key unknown in the plan ("known when its inputs exist") matches the key its inputs give now.
            let sameKey = old.key == nil || old.key == new.key
            if old.action != new.action || (old.action == .resume && old.taskID != new.taskID) {
                let done = sameKey && old.action.isPending && (new.action == .cached || new.action == .resume)
                let because = new.reason.map { " (\(PlanText.shown($0)))" } ?? ""
                let sentence = "\(item) was \(Self.then(old)), now it \(Self.now(new))\(because)"
                let since =
                    new.action == .cached ? "another run made it since" : "another run has paid for its task since"
                changes.append(
                    done
                        ? .init(.notes, .decision, stage: then.name, sentence + "; \(since), from the same inputs")
                        : .init(.refuses, .decision, stage: then.name, sentence))
            } else if !sameKey, !keyNamed, let was = old.key {
                let now = new.key.map { "\($0.prefix(8))… now" } ?? "known only once its inputs exist now"
                changes.append(
                    .init(
                        .refuses, .key, stage: then.name,
                        "\(item) would be made from other inputs than planned "
                            + "(key \(was.prefix(8))… then, \(now))"))
            }
            if old.location != new.location, old.action.isPending, new.action.isPending {
                let place = { (location: String?) in location.map(PlanText.shown) ?? "no location" }
                changes.append(
                    .init(
                        .refuses, .location, stage: then.name,
                        "\(item) would be written to \(place(new.location)), "
                            + "not \(place(old.location)) as planned"))
            }
            if !pricesChanged, old.action == new.action, new.credits > old.credits + 1e-9 {
                changes.append(
                    .init(
                        .refuses, .credits, stage: then.name,
                        "\(item) would cost up to \(Self.number(new.credits)) "
                            + "credits, not \(Self.number(old.credits)) as planned"))
            }
        }
        return changes
    }

    /// The names of `now` not in `then` and those of `then` not in `now`, one change each way.
    private static func membership(
        then: [String], now: [String], noun: String, stage: String?, name: String,
        kinds: (added: PlanChange.Kind, removed: PlanChange.Kind)
    ) -> [PlanChange] {
        let before = Set(then)
        let after = Set(now)
        let added = now.filter { !before.contains($0) }
        let removed = then.filter { !after.contains($0) }
        var changes: [PlanChange] = []
        if !added.isEmpty {
            changes.append(
                .init(
                    .refuses, kinds.added, stage: stage,
                    "\(name): \(count(added.count, noun)) added since the plan "
                        + "was made: \(list(added))"))
        }
        if !removed.isEmpty {
            changes.append(
                .init(
                    .refuses, kinds.removed, stage: stage,
                    "\(name): \(count(removed.count, noun)) of the plan "
                        + "\(removed.count == 1 ? "is" : "are") gone: \(list(removed))"))
        }
        return changes
    }

    /// An action as the plan said it: "was ...".
    private static func then(_ item: Item) -> String {
        switch item.action {
        case .create: return "to be made"
        case .regenerate: return "to be made again"
        case .cached: return "cached"
        case .resume: return "to resume task \(PlanText.shown(item.taskID ?? "?"))"
        case .failed: return "failed before (not to be tried)"
        case .refused: return "refused"
        case .unusable: return "unusable"
        case .skipped: return "left out (not a frame)"
        }
    }

    /// An action as apply would take it now: "now it ...".
    private static func now(_ item: Item) -> String {
        switch item.action {
        case .create: return "would be made"
        case .regenerate: return "would be made again"
        case .cached: return "is cached"
        case .resume: return "would resume task \(PlanText.shown(item.taskID ?? "?"))"
        case .failed: return "failed before and would not be tried"
        case .refused: return "is refused"
        case .unusable: return "is unusable"
        case .skipped: return "is left out (not a frame)"
        }
    }

    /// "3 frames".
    private static func count(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// Names, the first ten, each escaped.
    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(10).map(PlanText.shown).joined(separator: ", ")
        return names.count > 10 ? shown + " and \(names.count - 10) more" : shown
    }

    /// "sha256:ab12cd34…": a digest cut to its first 8 digits.
    private static func abbreviated(_ digest: String) -> String {
        guard let colon = digest.firstIndex(of: ":") else { return PlanText.shown(digest) }
        let value = digest[digest.index(after: colon)...]
        return PlanText.shown(String(digest[...colon]) + value.prefix(8)) + (value.count > 8 ? "…" : "")
    }

    /// 5, 0.5, 12.25.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
