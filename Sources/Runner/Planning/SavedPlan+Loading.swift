import Foundation
import Manifest

/// Why a saved plan cannot be read or written, naming the file and the field.
public enum SavedPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Larger than `SavedPlan.maximumBytes`: not read at all.
    case tooLarge(file: String, bytes: Int, limit: Int)
    /// Not JSON (or cut short).
    case notJSON(file: String)
    /// JSON, but not a saved plan: no `format` marker, or another one (`found`, abbreviated and escaped).
    case notASavedPlan(file: String, found: String?)
    /// A saved plan of a format version this runner does not read.
    case unsupportedVersion(file: String, version: Int, runnerVersion: String?)
    /// A field of the wrong type, an unknown field, or a value out of its range (`field` is its path, `problem` a phrase).
    case invalidField(file: String, field: String, problem: String)

    public var description: String {
        let again = "make the plan again with `runner plan MANIFEST --out FILE`"
        switch self {
        case .tooLarge(let file, let bytes, let limit):
            return "\(InertText.escaped(file)) is \(bytes) bytes, more than the \(limit) a saved plan may have: "
                + "it is not a plan `runner plan --out` wrote; \(again)"
        case .notJSON(let file):
            return
                "\(InertText.escaped(file)) is not a saved plan: it is not valid JSON (it may be cut short); \(again)"
        case .notASavedPlan(let file, let found):
            let what =
                found.map { "its `format` is \"\($0)\", not \"\(SavedPlan.formatMarker)\"" }
                ?? "it has no `format` field saying \"\(SavedPlan.formatMarker)\""
            return "\(InertText.escaped(file)) is not a saved plan: \(what); \(again)"
        case .unsupportedVersion(let file, let version, let runnerVersion):
            let maker = runnerVersion.map { ", made by runner \($0)" } ?? ""
            return
                "\(InertText.escaped(file)) is a saved plan of format version \(version)\(maker); this runner reads version "
                + "\(SavedPlan.currentVersion) only: apply it with the runner that made it, or \(again)"
        case .invalidField(let file, let field, let problem):
            return "\(InertText.escaped(file)) cannot be used as a saved plan: \(field) \(problem); \(again)"
        }
    }
}

extension SavedPlan {
    /// Reads a saved plan from the bytes of `file` (named in errors), checking everything: its size, that it is a
    /// JSON object whose `format` is `formatMarker` and whose `version` is `currentVersion`, that it has no field the
    /// format does not define, and each field's type and range (names without control characters, keys and digests
    /// of their forms, task ids that can go into a request path, locations that are `s3://` URLs or paths, credits
    /// that are not negative, unique stage, item and frame names). Nothing in a plan file is trusted.
    public static func load(_ data: Data, file: String) throws(SavedPlanError) -> SavedPlan {
        guard data.count <= maximumBytes else { throw .tooLarge(file: file, bytes: data.count, limit: maximumBytes) }
        // The marker and version first, so that another kind of file, or another version, is named as such rather
        // than by the first field this version does not expect.
        let probe: Probe
        do {
            probe = try JSONDecoder().decode(Probe.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty { throw .notJSON(file: file) }
            throw .notASavedPlan(file: file, found: nil)
        } catch {
            throw .notJSON(file: file)
        }
        guard let format = probe.format else { throw .notASavedPlan(file: file, found: nil) }
        guard format == formatMarker else { throw .notASavedPlan(file: file, found: PlanText.shown(format)) }
        guard let version = probe.version else {
            throw .invalidField(file: file, field: "`version`", problem: "is missing or not an integer")
        }
        guard version == currentVersion else {
            throw .unsupportedVersion(
                file: file, version: version, runnerVersion: probe.runnerVersion.map(PlanText.shown))
        }
        do {
            return try JSONDecoder().decode(SavedPlan.self, from: data)
        } catch let problem as PlanFieldProblem {
            throw .invalidField(file: file, field: PlanText.field(problem.path), problem: problem.problem)
        } catch let error as DecodingError {
            let (path, problem) = PlanText.describe(error)
            throw .invalidField(file: file, field: PlanText.field(path), problem: problem)
        } catch {
            throw .notJSON(file: file)
        }
    }

    /// The marker and version, each read only if it has the right type.
    private struct Probe: Decodable {
        var format: String?
        var version: Int?
        var runnerVersion: String?

        enum CodingKeys: String, CodingKey { case format, version, runnerVersion }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            format = try? container.decodeIfPresent(String.self, forKey: .format)
            version = try? container.decodeIfPresent(Int.self, forKey: .version)
            runnerVersion = try? container.decodeIfPresent(String.self, forKey: .runnerVersion)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        guard format == Self.formatMarker, version == Self.currentVersion else {
            throw PlanFieldProblem(
                path: [CodingKeys.format], problem: "is not \"\(Self.formatMarker)\" version \(Self.currentVersion)")
        }
        runnerVersion = try container.text(.runnerVersion, limit: 64)
        pipeline = try container.text(.pipeline, limit: 256)
        session = try container.text(.session, limit: 256)
        manifest = try container.decode(ManifestSource.self, forKey: .manifest)
        options = try container.decode(Options.self, forKey: .options)
        stages = try container.decode([Stage].self, forKey: .stages)
        try PlanText.unique(stages.map(\.name), what: "stage", at: container.codingPath + [CodingKeys.stages])
        prices = try container.decode(Prices.self, forKey: .prices)
        totals = try container.decode(Totals.self, forKey: .totals)
    }
}

extension SavedPlan.ManifestSource {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        path = try container.text(.path, limit: 4096)
        sha256 = try container.sha256(.sha256)
        values = try container.decode([SavedPlan.InterpolatedValue].self, forKey: .values)
        try PlanText.unique(values.map(\.reference), what: "value", at: container.codingPath + [CodingKeys.values])
    }
}

extension SavedPlan.InterpolatedValue {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        reference = try container.text(.reference, limit: 256)
        // A variable's name is an identifier (`.` and `-` too, as the manifest allows); an environment variable's
        // name is letters, digits and `_`.
        let isVariable = reference.hasPrefix("vars.")
        let name = isVariable ? reference.dropFirst(5) : reference.hasPrefix("env:") ? reference.dropFirst(4) : ""
        let isNameCharacter = { (scalar: Unicode.Scalar) in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                    || (isVariable && (scalar == "." || scalar == "-")))
        }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(isNameCharacter), name.first != ".", name.first != "-"
        else {
            throw PlanFieldProblem(
                path: container.codingPath + [CodingKeys.reference],
                problem: "is not `vars.NAME` or `env:NAME` (letters, digits and `_`; `.` and `-` in a variable's)")
        }
        sha256 = try container.sha256(.sha256)
    }
}

extension SavedPlan.Options {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        retryFailed = try container.decode(Bool.self, forKey: .retryFailed)
    }
}

extension SavedPlan.Frame {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try container.text(.name, limit: 1024)
        digest = try container.text(.digest, limit: 300)
        guard PlanText.isFrameDigest(digest) else {
            throw PlanFieldProblem(
                path: container.codingPath + [CodingKeys.digest],
                problem: "is not a frame digest (sha256:HEX, md5:HEX, etag:TEXT or size:N)")
        }
    }
}

extension SavedPlan.OwnFile {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        role = try container.text(.role, limit: 256)
        location = try container.text(.location, limit: 4096)
        guard PlanText.isLocation(location) else {
            throw PlanFieldProblem(
                path: container.codingPath + [CodingKeys.location],
                problem: "is not an s3:// URL or a path (a saved plan holds no links)")
        }
        digest = try container.optionalText(.digest, limit: 300)
        if let digest, !PlanText.isFrameDigest(digest) {
            throw PlanFieldProblem(
                path: container.codingPath + [CodingKeys.digest],
                problem: "is not a content digest (sha256:HEX, md5:HEX, etag:TEXT or size:N)")
        }
    }
}

extension SavedPlan.Action {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let action = Self(rawValue: text) else {
            throw PlanFieldProblem(
                path: decoder.codingPath,
                problem: "is \"\(PlanText.shown(text))\", not one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = action
    }
}

extension SavedPlan.Item {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let path = container.codingPath
        item = try container.text(.item, limit: 1024)
        // Present, and null or a key: a missing `key` is not taken for "not known yet".
        guard container.contains(.key) else {
            throw PlanFieldProblem(path: path + [CodingKeys.key], problem: "is missing")
        }
        key = try container.decodeNil(forKey: .key) ? nil : try container.sha256(.key)
        action = try container.decode(SavedPlan.Action.self, forKey: .action)
        reason = try container.optionalText(.reason, limit: 4096)
        taskID = try container.decodeIfPresent(String.self, forKey: .taskID)
        if let taskID, !RecordProblem.isTaskID(taskID) {
            throw PlanFieldProblem(
                path: path + [CodingKeys.taskID],
                problem: "is not a task id (1 to 128 letters, digits, `-`, `_`, `.` or `:`)")
        }
        location = try container.optionalText(.location, limit: 4096)
        if let location, !PlanText.isLocation(location) {
            throw PlanFieldProblem(
                path: path + [CodingKeys.location],
                problem: "is not an s3:// URL or a path (a saved plan holds no links)")
        }
        credits = try container.amount(.credits)
        if action == .resume, taskID == nil {
            throw PlanFieldProblem(
                path: path + [CodingKeys.taskID], problem: "is missing: a `resume` names the task it polls")
        }
        if action == .cached || action == .resume, key == nil {
            throw PlanFieldProblem(
                path: path + [CodingKeys.key], problem: "is null: a `\(action.rawValue)` item has a key")
        }
    }
}

extension SavedPlan.Stage {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try container.text(.name, limit: 256)
        type = try container.text(.type, limit: 64)
        guard
            type.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
            })
        else {
            throw PlanFieldProblem(
                path: container.codingPath + [CodingKeys.type],
                problem: "is not a stage type (lower-case letters, digits, `_` and `-`)")
        }
        frames = try container.decodeIfPresent([SavedPlan.Frame].self, forKey: .frames)
        if let frames {
            try PlanText.unique(frames.map(\.name), what: "frame", at: container.codingPath + [CodingKeys.frames])
        }
        files = try container.decodeIfPresent([SavedPlan.OwnFile].self, forKey: .files)
        if let files {
            try PlanText.unique(files.map(\.role), what: "file role", at: container.codingPath + [CodingKeys.files])
        }
        items = try container.decode([SavedPlan.Item].self, forKey: .items)
        try PlanText.unique(items.map(\.item), what: "item", at: container.codingPath + [CodingKeys.items])
    }
}

extension SavedPlan.Price {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        provider = try container.text(.provider, limit: 64)
        model = try container.text(.model, limit: 128)
        creditsPerSecond = try container.amount(.creditsPerSecond)
        creditsPerSecondWithAudio =
            container.contains(.creditsPerSecondWithAudio) ? try container.amount(.creditsPerSecondWithAudio) : nil
    }
}

extension SavedPlan.Prices {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        dollarsPerCredit = try container.amount(.dollarsPerCredit)
        models = try container.decode([SavedPlan.Price].self, forKey: .models)
        try PlanText.unique(
            models.map { "\($0.provider) \($0.model)" }, what: "model", at: container.codingPath + [CodingKeys.models])
    }
}

extension SavedPlan.Totals {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        credits = try container.amount(.credits)
        dollars = try container.amount(.dollars)
        estimatedSeconds = try container.amount(.estimatedSeconds)
        maxCredits = container.contains(.maxCredits) ? try container.amount(.maxCredits) : nil
    }
}

/// A field of a saved plan that cannot be used: thrown while decoding, turned into `SavedPlanError.invalidField`.
struct PlanFieldProblem: Error {
    let path: [any CodingKey]
    let problem: String
}

/// A coding key for any field name.
private struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }
    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

extension Decoder {
    /// The keyed container of an object that has no field outside `Key`: an unknown field is refused, as the JSON
    /// Schema's `additionalProperties: false` refuses it, rather than ignored.
    fileprivate func strictContainer<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let all = try container(keyedBy: AnyKey.self)
        if let unknown = all.allKeys.first(where: { Key(stringValue: $0.stringValue) == nil }) {
            throw PlanFieldProblem(
                path: codingPath + [unknown],
                problem: "is not a field of a saved plan (version \(SavedPlan.currentVersion))")
        }
        return try container(keyedBy: type)
    }
}

extension KeyedDecodingContainer {
    /// A string of 1 to `limit` bytes without control characters.
    fileprivate func text(_ key: Key, limit: Int) throws -> String {
        let value = try decode(String.self, forKey: key)
        if let problem = PlanText.problem(in: value, limit: limit) {
            throw PlanFieldProblem(path: codingPath + [key], problem: problem)
        }
        return value
    }

    /// `text(_:limit:)` when present.
    fileprivate func optionalText(_ key: Key, limit: Int) throws -> String? {
        contains(key) ? try text(key, limit: limit) : nil
    }

    /// 64 lower-case hex digits.
    fileprivate func sha256(_ key: Key) throws -> String {
        let value = try decode(String.self, forKey: key)
        guard value.utf8.count == 64, value.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else {
            throw PlanFieldProblem(path: codingPath + [key], problem: "is not a SHA-256 (64 lower-case hex digits)")
        }
        return value
    }

    /// A number of credits, dollars or seconds: finite and not negative.
    fileprivate func amount(_ key: Key) throws -> Double {
        let value = try decode(Double.self, forKey: key)
        guard value.isFinite, value >= 0 else {
            throw PlanFieldProblem(path: codingPath + [key], problem: "is negative")
        }
        return value
    }
}

/// The checks and phrases of saved-plan fields.
enum PlanText {
    /// Why `text` is not a field value of 1 to `limit` bytes without control characters, or nil.
    static func problem(in text: String, limit: Int) -> String? {
        if text.isEmpty { return "is empty" }
        if text.utf8.count > limit { return "is longer than \(limit) bytes" }
        if InertText.hasControlCharacters(text) { return "holds control characters" }
        return nil
    }

    /// A value from the file, for a message: control characters escaped, at most 100 characters.
    static func shown(_ text: String) -> String {
        InertText.escaped(text.count > 100 ? String(text.prefix(100)) + "..." : text)
    }

    /// `stages[1].items[0].key`, in backquotes.
    static func field(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + shown(key.stringValue)
            }
        }
        return text.isEmpty ? "the plan" : "`\(text)`"
    }

    /// A decoding error's field and phrase.
    static func describe(_ error: DecodingError) -> ([any CodingKey], String) {
        switch error {
        case .keyNotFound(let key, let context): return (context.codingPath + [key], "is missing")
        case .typeMismatch(let type, let context):
            return (context.codingPath, "has the wrong type (\(expected(type)) expected)")
        case .valueNotFound(let type, let context): return (context.codingPath, "is null (\(expected(type)) expected)")
        case .dataCorrupted(let context): return (context.codingPath, "is not valid")
        @unknown default: return ([], "cannot be read")
        }
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Double.Type: return "a number"
        case is [Any].Type: return "an array"
        default: return "an object"
        }
    }

    /// Throws when `names` has a name twice.
    static func unique(_ names: [String], what: String, at path: [any CodingKey]) throws {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw PlanFieldProblem(path: path, problem: "names the \(what) \"\(shown(name))\" twice")
        }
    }

    /// `sha256:HEX`, `md5:HEX`, `etag:TEXT` or `size:N`: the digests a frames stage gives its frames.
    static func isFrameDigest(_ text: String) -> Bool {
        func hex(_ part: Substring, count: Int) -> Bool {
            part.utf8.count == count && part.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        if text.hasPrefix("sha256:") { return hex(text.dropFirst(7), count: 64) }
        if text.hasPrefix("md5:") { return hex(text.dropFirst(4), count: 32) }
        if text.hasPrefix("etag:") { return text.utf8.count > 5 && text.utf8.count <= 261 }
        if text.hasPrefix("size:") {
            return (1...20).contains(text.utf8.count - 5)
                && text.dropFirst(5).utf8.allSatisfy { (48...57).contains($0) }
        }
        return false
    }

    /// Whether `text` is an `s3://` URL or a path (absolute, or relative `./` or `../`): never a link to fetch.
    static func isLocation(_ text: String) -> Bool {
        text.hasPrefix("s3://") || text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../")
    }
}
