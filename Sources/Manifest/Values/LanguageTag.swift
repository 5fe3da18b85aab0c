/// A BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`, `und`), checked for its form, with the three-letter ISO 639-2
/// code containers store: MP4's `mdhd` holds ISO 639-2/T (`deu`), Matroska's `Language` ISO 639-2/B (`ger`).
public struct LanguageTag: Sendable, Hashable, CustomStringConvertible {
    /// The tag as written.
    public let text: String
    /// The primary language subtag, lower case (`pt` of `pt-BR`).
    public let language: String

    /// "Undetermined", BCP 47's and ISO 639-2's code for a language not given.
    public static let undetermined = LanguageTag(checked: "und", language: "und")

    private init(checked text: String, language: String) {
        self.text = text
        self.language = language
    }

    /// Parses `text`; throws a sentence naming what is wrong with its form.
    ///
    /// The form is RFC 5646's `language(-script)?(-region)?(-variant)*(-extension)*(-x-private)?`, where the language
    /// is two letters of ISO 639-1 or three of ISO 639-2/3 (the longer registered forms and grandfathered tags are
    /// not taken: no container stores them).
    public init(parsing text: String) throws(LanguageTagProblem) {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = subtags.first, !text.isEmpty else { throw .empty }
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .malformed(text, "use only ASCII letters, digits and `-`")
        }
        if subtags.contains(where: \.isEmpty) { throw .malformed(text, "a `-` has nothing after it, or before it") }
        let language = first.lowercased()
        guard (2...3).contains(language.count), language.allSatisfy(\.isLetter) else {
            throw .malformed(text, "it must start with a language of two or three letters (`en`, `fra`)")
        }
        if language.count == 2, Self.threeLetterCodes[language] == nil {
            throw .unknownLanguage(language)
        }
        try Self.checkSubtags(Array(subtags.dropFirst()), in: text)
        self.init(checked: text, language: language)
    }

    /// What follows the language: script, region, variants, extensions and private use, in that order.
    private static func checkSubtags(_ subtags: [String], in text: String) throws(LanguageTagProblem) {
        // The stage each subtag may still appear at: 0 script, 1 region, 2 variants, 3 extensions.
        var stage = 0
        var index = 0
        while index < subtags.count {
            let subtag = subtags[index]
            let letters = subtag.allSatisfy(\.isLetter)
            let digits = subtag.allSatisfy(\.isNumber)
            if subtag.count == 1 {
                // An extension (`u-ca-gregory`) or private use (`x-whatever`): one or more subtags of 1 to 8 follow.
                let privateUse = subtag.lowercased() == "x"
                let values = subtags[(index + 1)...].prefix { privateUse ? true : $0.count > 1 }
                guard !values.isEmpty, values.allSatisfy({ (privateUse ? 1 : 2)...8 ~= $0.count }) else {
                    throw .malformed(text, "`\(subtag)-` must be followed by subtags of 2 to 8 letters or digits")
                }
                if privateUse { return }
                stage = 3
                index += values.count + 1
                continue
            }
            if stage == 0, subtag.count == 4, letters {
                stage = 1
            } else if stage <= 1, (subtag.count == 2 && letters) || (subtag.count == 3 && digits) {
                stage = 2
            } else if stage <= 2,
                (5...8).contains(subtag.count) || (subtag.count == 4 && subtag.first?.isNumber == true)
            {
                stage = 2
            } else {
                throw .malformed(
                    text,
                    "`\(subtag)` is not a script (4 letters), region (2 letters or 3 digits) or variant in its place")
            }
            index += 1
        }
    }

    /// The ISO 639-2/T code MP4 stores (`eng` for `en-GB`, `deu` for `ger`); a three-letter language as written.
    public var terminologyCode: String {
        if let code = Self.threeLetterCodes[language] { return code }
        return Self.terminologyCodes[language] ?? language
    }

    /// The ISO 639-2/B code Matroska stores (`ger` for `de`, `fre` for `fr`; the same as the T code for most).
    public var bibliographicCode: String {
        let terminology = terminologyCode
        return Self.terminologyCodes.first { $0.value == terminology }?.key ?? terminology
    }

    public var description: String { text }
}

/// Why a language tag cannot be used, as a sentence.
public enum LanguageTagProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case malformed(String, String)
    case unknownLanguage(String)

    public var description: String {
        switch self {
        case .empty:
            return "is empty; write a BCP 47 language tag such as `en`, `pt-BR` or `und`"
        case .malformed(let text, let reason):
            return
                "\"\(InertText.escaped(text))\" is not a BCP 47 language tag: \(reason); for example `en`, `pt-BR`, `zh-Hant`"
        case .unknownLanguage(let code):
            return
                "`\(code)` is not an ISO 639-1 language; use its code (`en`, `fr`, `ja`) or three letters of ISO 639-2"
        }
    }
}
