import Manifest
import Testing

/// BCP 47 tags checked for their form and mapped to the codes MP4 and Matroska store.
@Suite struct LanguageTagTests {
    @Test func wellFormedTagsAndTheirISO639Codes() throws {
        let cases: [(String, String, String)] = [
            ("en", "eng", "eng"), ("en-GB", "eng", "eng"), ("pt-BR", "por", "por"), ("de", "deu", "ger"),
            ("fr-CA", "fra", "fre"), ("zh-Hant-TW", "zho", "chi"), ("und", "und", "und"), ("yue-HK", "yue", "yue"),
            ("ger", "deu", "ger"), ("sl-rozaj-biske", "slv", "slv"), ("de-CH-1901", "deu", "ger"),
            ("en-u-ca-gregory", "eng", "eng"), ("es-419", "spa", "spa"), ("en-x-captions", "eng", "eng"),
        ]
        for (text, terminology, bibliographic) in cases {
            let tag = try LanguageTag(parsing: text)
            #expect(tag.terminologyCode == terminology, "\(text)")
            #expect(tag.bibliographicCode == bibliographic, "\(text)")
        }
    }

    @Test func malformedTagsSayWhy() {
        let cases: [(String, String)] = [
            ("", "is empty"), ("english", "two or three letters"), ("e", "two or three letters"),
            ("en_US", "ASCII letters, digits and `-`"), ("en-", "nothing after it"), ("qq", "not an ISO 639-1"),
            ("en-GB-US", "not a script"), ("en-x", "must be followed"), ("en-Latn-Latn", "not a script"),
            ("fr\u{1B}[31m", "ASCII letters"),
        ]
        for (text, reason) in cases {
            #expect(throws: LanguageTagProblem.self, "\(text)") { try LanguageTag(parsing: text) }
            do {
                _ = try LanguageTag(parsing: text)
            } catch {
                #expect(error.description.contains(reason), "\(text): \(error.description)")
                #expect(!error.description.contains("\u{1B}"))
            }
        }
    }
}
