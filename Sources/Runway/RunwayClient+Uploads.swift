import Foundation
import Storage

extension RunwayClient {
    /// Uploads a local image as Runway's ephemeral upload and returns its `runway://` URI.
    ///
    /// As the official SDKs do: `POST /v1/uploads` announces the file, then the file goes as a
    /// multipart POST to the presigned `uploadUrl` with the `fields` it returned.
    func uploadEphemeral(_ image: Data, filename: String, format: PromptImage.Format) async throws(RunwayError)
        -> String
    {
        guard let announce = try? JSONSerialization.data(withJSONObject: ["filename": filename, "type": "ephemeral"])
        else {
            throw .malformedResponse("the upload request could not be encoded")
        }
        let (response, _) = try await post("/v1/uploads", body: announce)
        guard (200..<300).contains(response.status) else { throw failure(response) }
        guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
            let uploadURL = (object["uploadUrl"] as? String).flatMap(URL.init(string:)),
            let runwayURI = object["runwayUri"] as? String
        else { throw .malformedResponse("the answer to an upload has no uploadUrl or runwayUri") }
        let fields = object["fields"] as? [String: String] ?? [:]

        // In memory: frames are at most PromptImage.maximumFileBytes, and a streamed body goes out chunked,
        // which presigned POST targets refuse (they need Content-Length).
        let form = MultipartForm(
            fields: fields, fileField: "file", filename: filename, contentType: format.rawValue, file: image)
        var request = HTTPRequest(method: "POST", url: uploadURL, timeout: 120)
        request.setHeader("Content-Type", "multipart/form-data; boundary=\(form.boundary)")
        let uploaded: HTTPResponse
        do {
            uploaded = try await uploadClient.send(request, body: .data(form.body))
        } catch {
            throw error == .cancelled ? .cancelled : .transport(error.description)
        }
        guard (200..<300).contains(uploaded.status) else {
            throw .unexpectedStatus(
                status: uploaded.status,
                message:
                    "the upload of \(inert(filename)) was refused: \(inert(RunwayClient.errorMessage(uploaded.body)))")
        }
        return runwayURI
    }
}

/// A multipart/form-data body: the presigned fields, then the file.
struct MultipartForm {
    let boundary: String
    let body: Data

    init(fields: [String: String], fileField: String, filename: String, contentType: String, file: Data) {
        boundary = "runner-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n"
                    .utf8))
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        self.body = body
    }
}
