import Foundation
import Manifest

/// The JSON document container endpoints, the instance metadata service and `credential_process` answer:
/// `AccessKeyId`, `SecretAccessKey`, `Token` (or `SessionToken`) and `Expiration`.
struct CredentialDocument: Decodable {
    let AccessKeyId: String?
    let SecretAccessKey: String?
    let Token: String?
    let SessionToken: String?
    let Expiration: String?
    /// The instance metadata service says `Success`; anything else is its refusal.
    let Code: String?
    /// `credential_process` output must say 1.
    let Version: Int?

    /// The credentials in `data`, or a reason (without any value from the document) why there are none.
    static func credentials(in data: Data, origin: String) -> Result<AWSCredentials, SourceProblem> {
        guard let document = try? JSONDecoder().decode(CredentialDocument.self, from: data) else {
            return .failure(SourceProblem("the answer is not a JSON credentials document"))
        }
        if let code = document.Code, code != "Success" {
            return .failure(
                SourceProblem("the answer's Code is \(InertText.escaped(String(code.prefix(80)))), not Success"))
        }
        guard let keyID = document.AccessKeyId, !keyID.isEmpty, let secret = document.SecretAccessKey, !secret.isEmpty
        else {
            return .failure(SourceProblem("the answer lacks AccessKeyId or SecretAccessKey"))
        }
        let token = (document.Token ?? document.SessionToken).flatMap { $0.isEmpty ? nil : Secret($0) }
        return .success(
            AWSCredentials(
                accessKeyID: keyID, secretAccessKey: Secret(secret), sessionToken: token, origin: origin,
                expiration: document.Expiration.flatMap(HTTPDates.iso8601)))
    }
}

/// Why a credential source's answer could not be used, as a phrase for `StorageError.credentialSource`.
struct SourceProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
