import Foundation
import Manifest

/// The body of `POST /v1/image_to_video`, with the API's field names.
public struct ImageToVideoRequest: Sendable, Equatable {
    public var model: String
    /// An HTTPS URL, a `runway://` upload URI, or a `data:image/...;base64,` URI: the image the clip starts on.
    public var promptImage: String
    /// The image the clip ends on, in the same forms, for the models that take a `last` keyframe: the body then
    /// carries `promptImage: [{uri: first, position: "first"}, {uri: last, position: "last"}]`.
    public var lastKeyframe: String?
    public var ratio: Ratio
    public var duration: Int
    public var promptText: String?
    public var seed: UInt32?
    /// A sound track, for the models that take `audio` (it changes the price). Always sent to those models (false when
    /// nil): the API's default is not documented, and the price depends on it.
    public var audio: Bool?

    public init(
        model: String, promptImage: String, ratio: Ratio, duration: Int, promptText: String? = nil, seed: UInt32? = nil,
        audio: Bool? = nil
    ) {
        self.audio = audio
        self.model = model
        self.promptImage = promptImage
        self.ratio = ratio
        self.duration = duration
        self.promptText = promptText
        self.seed = seed
    }

    /// Refuses what the API would refuse, before any paid call: the catalog's model, ratio, duration, prompt and
    /// option rules.
    public func validate() throws(RunwayError) {
        guard let spec = ModelCatalog.model(named: model, for: .runway) else {
            let retired = ModelCatalog.retired[model].map { "; \($0)" } ?? ""
            throw .badRequest(
                message:
                    "the model \(model) is not one of \(ModelCatalog.modelNames(for: .runway).joined(separator: ", "))\(retired)"
            )
        }
        if lastKeyframe != nil, !spec.acceptsLastKeyframe {
            let takers = ModelCatalog.models.filter { $0.provider == .runway && $0.acceptsLastKeyframe }.map(\.name)
            throw .badRequest(
                message:
                    "\(model) cannot end a clip on a given image (a `last` keyframe); the models that can are "
                    + takers.joined(separator: ", "))
        }
        if audio != nil, !spec.acceptsAudio {
            throw .badRequest(
                message:
                    "\(model) takes no `audio`; it is an option of \(ModelCatalog.modelNames(accepting: .audio).joined(separator: ", "))"
            )
        }

        guard spec.ratios.accepts(ratio) else {
            throw .badRequest(message: "\(model) has no ratio \(ratio); it takes \(spec.ratios.summary)")
        }
        guard spec.durations.accepts(duration) else {
            throw .badRequest(
                message: "\(model) makes no \(duration) s clips; it takes \(spec.durations.summary) seconds")
        }
        if spec.requiresPrompt, promptText?.isEmpty ?? true {
            throw .badRequest(message: "\(model) needs a prompt")
        }
        if let promptText, promptText.isEmpty || promptText.utf16.count > 1000 {
            throw .badRequest(
                message: "the prompt must have 1 to 1000 UTF-16 code units; it has \(promptText.utf16.count)")
        }
    }

    /// The most this request can cost, by the catalog (Runway's own estimate is the authority once it answers).
    public var maximumCredits: Double {
        ModelCatalog.model(named: model, for: .runway)?.credits(seconds: duration, audio: audio ?? false) ?? 0
    }

    /// The JSON body. Written by hand: the image is a data URI of up to 5 MB of base64, which a general
    /// JSON writer escapes character by character; base64 never needs escaping.
    public func jsonBody() -> Data {
        var members: [(String, JSONValue)] = [
            ("model", .string(model)), ("ratio", .string(ratio.description)), ("duration", .int(duration)),
        ]
        if let promptText { members.append(("promptText", .string(promptText))) }
        if let seed { members.append(("seed", .int(Int(seed)))) }
        if let audio = audio ?? (ModelCatalog.model(named: model, for: .runway)?.acceptsAudio == true ? false : nil) {
            members.append(("audio", .bool(audio)))
        }
        var body = Data("{\"promptImage\":".utf8)
        if let lastKeyframe {
            body.append(contentsOf: "[{\"uri\":".utf8)
            Self.appendString(promptImage, to: &body)
            body.append(contentsOf: ",\"position\":\"first\"},{\"uri\":".utf8)
            Self.appendString(lastKeyframe, to: &body)
            body.append(contentsOf: ",\"position\":\"last\"}]".utf8)
        } else {
            Self.appendString(promptImage, to: &body)
        }
        let rest = JSONValue.object(members).serialized(indent: 0)
        body.append(UInt8(ascii: ","))
        body.append(contentsOf: rest.utf8.dropFirst())
        return body
    }

    /// Appends `text` as a JSON string: as it is when nothing needs escaping (a URI's usual case), else escaped.
    private static func appendString(_ text: String, to body: inout Data) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            body.append(UInt8(ascii: "\""))
            body.append(contentsOf: text.utf8)
            body.append(UInt8(ascii: "\""))
        } else {
            body.append(Data(JSONValue.string(text).serialized(indent: 0).utf8))
        }
    }
}
