/// The form of a manifest value: one description that drives key checks, type checks, the
/// JSON Schema (`runner schema`) and the documentation test, so that they cannot drift apart.
public indirect enum Shape: Sendable {
    /// Text; `TextForm` says what kind.
    case text(TextForm)
    /// A whole number within optional bounds.
    case integer(min: Int?, max: Int?)
    /// A number within optional bounds.
    case number(min: Double?, max: Double?)
    /// A span of time in seconds within bounds: a number of seconds, or a duration such as `500ms` or `0.5s`.
    case seconds(min: Double, max: Double)
    case boolean
    /// One of a fixed set of words.
    case choice([String])
    /// `true`, `false`, or one of a fixed set of words (`chain: true | false | loop`).
    case booleanOr([String])
    /// Exactly this whole number.
    case constant(Int)
    /// A list of values of one shape.
    case list(Shape)
    /// One text value, or a list of them.
    case oneOrMany(TextForm)
    /// One text value, or a list of values of another shape (a soundtrack's `voice`: a file, or lines by clip).
    case textOrList(TextForm, Shape)
    /// A mapping with fixed keys.
    case object(ObjectShape)
    /// A mapping from identifiers to values of one shape.
    case dictionary(Shape)
    /// A mapping whose `type` key picks its fields.
    case tagged(TaggedShape)
    /// Any scalar, taken as text (variables).
    case scalar
}

/// What kind of text a field holds, which decides interpolation and format checks.
public enum TextForm: Sendable {
    /// `[A-Za-z0-9][A-Za-z0-9_.-]*`, written literally.
    case identifier
    /// Free text; `${...}` references allowed.
    case template
    /// A location (`s3://bucket/prefix/` or a path); `${...}` allowed, checked for path safety.
    case location
    /// A secret (API key, webhook secret): `${env:...}` expected; never printed.
    case secret
    /// A duration such as `500ms`, `6s`, `5m`, `24h`.
    case duration
    /// `WIDTH:HEIGHT`.
    case ratio
    /// `WIDTHxHEIGHT`.
    case size
    /// A file-name glob.
    case glob
    /// An http(s) URL; `${...}` allowed.
    case url
    /// A gain in decibels: a number, or a number with `dB` (`-6dB`, `12 dB`).
    case decibels
}

/// A key of a mapping, with its shape and documentation.
public struct Field: Sendable {
    public let name: String
    public let shape: Shape
    public let required: Bool
    /// One sentence for the docs and the schema's `description`.
    public let summary: String
    /// The default, as the docs show it.
    public let defaultValue: String?
    /// A value as it would be written, for the docs.
    public let example: String?

    public init(
        _ name: String, _ shape: Shape, required: Bool = false, default defaultValue: String? = nil,
        example: String? = nil, _ summary: String
    ) {
        self.name = name
        self.shape = shape
        self.required = required
        self.summary = summary
        self.defaultValue = defaultValue
        self.example = example
    }
}

/// A mapping with fixed keys.
public struct ObjectShape: Sendable {
    public let fields: [Field]
    public let summary: String

    public init(_ summary: String, _ fields: [Field]) {
        self.summary = summary
        self.fields = fields
    }

    /// The field with this key.
    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}

/// A mapping whose `type` picks one of several field sets (providers, stages).
public struct TaggedShape: Sendable {
    public let summary: String
    /// The variants by type name, in the order the docs list them.
    public let variants: [(type: String, shape: ObjectShape)]

    public init(_ summary: String, _ variants: [(type: String, shape: ObjectShape)]) {
        self.summary = summary
        self.variants = variants
    }

    /// The fields of one type.
    public func variant(_ type: String) -> ObjectShape? { variants.first { $0.type == type }?.shape }
}
