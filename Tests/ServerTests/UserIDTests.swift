import Server
import Testing

@Suite struct UserIDTests {
    @Test(
        "hostile user ids are refused, each with its reason",
        arguments: [
            ("../x", "U+2F"), ("a/b", "U+2F"), ("", "empty"), ("a\u{7}b", "U+7"), ("a\nb", "U+A"), ("..", "start with"),
            ("a\\b", "U+5C"), ("al ice", "U+20"), ("%2e%2e", "U+25"), ("ålice", "U+E5"),
        ])
    func hostile(text: String, reason: String) {
        #expect {
            _ = try UserID(text)
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }

    @Test("plain names pass unchanged")
    func plain() throws {
        for name in ["alice", "bob-2", "c.d", "e_f", "x@example.com", String(repeating: "a", count: 64)] {
            #expect(try UserID(name).value == name)
        }
        #expect(throws: UserID.Problem.tooLong(65)) { try UserID(String(repeating: "a", count: 65)) }
    }
}
