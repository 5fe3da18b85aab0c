import Foundation
import Synchronization

extension S3Store {
    /// CreateMultipartUpload, parts uploaded concurrently (each streamed from its own range of the file),
    /// then CompleteMultipartUpload; any failure aborts the upload so no parts linger (or are billed).
    func multipartUpload(_ key: String, from file: URL, size: Int64, contentType: String, createOnly: Bool)
        async throws(StorageError) -> CreateResult
    {
        let location = "s3://\(bucket)/\(key)"
        if createOnly {
            // Cheap early answer; the conditional Complete below is what makes it race-free.
            do throws(StorageError) {
                _ = try await head(key)
                return .alreadyExists
            } catch .notFound {
            } catch {
                throw error
            }
        }
        // CRC32 per part, as the AWS CLI sends: S3 verifies each part on arrival, and the object's checksum
        // is then composed from the parts' (no store has to read the whole object again to make one).
        let created = try await send(
            "POST", key: key, query: [("uploads", "")],
            headers: [("Content-Type", contentType), ("x-amz-checksum-algorithm", "CRC32")])
        guard created.isSuccess else { throw created.error(key: key) }
        guard let uploadID = XMLTree.parse(created.body)?.text("UploadId"), !uploadID.isEmpty else {
            throw .invalidResponse(location: location, reason: "CreateMultipartUpload returned no UploadId")
        }
        do throws(StorageError) {
            // S3 allows 10,000 parts: grow the part size for files that would need more.
            let partSize = max(options.partSize, (size + 9_999) / 10_000)
            let parts = Array(Self.ranges(size: size, partSize: partSize).enumerated()).map {
                (number: $0.offset + 1, range: $0.element)
            }
            let stored = Mutex<[Int: StoredPart]>([:])
            try await forEachConcurrently(parts, limit: options.uploadConcurrency) { part async throws(StorageError) in
                let done = try await uploadPart(
                    key, from: file, number: part.number, range: part.range, uploadID: uploadID)
                stored.withLock { $0[part.number] = done }
            }
            let listed = stored.withLock { $0 }
            let body =
                "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + parts.map { part in
                    let done = listed[part.number]
                    return
                        "<Part><ChecksumCRC32>\(done?.checksum ?? "")</ChecksumCRC32><ETag>\(Self.xmlEscaped(done?.etag ?? ""))</ETag>"
                        + "<PartNumber>\(part.number)</PartNumber></Part>"
                }.joined()
                + "</CompleteMultipartUpload>"
            let data = Data(body.utf8)
            let hash: String
            do throws(DigestError) { hash = try SHA256Digest.hex(of: data) } catch { throw .crypto(error.description) }
            var headers: [(name: String, value: String)] = [("Content-Type", "application/xml")]
            if createOnly { headers.append(("If-None-Match", "*")) }
            let completed = try await send(
                "POST", key: key, query: [("uploadId", uploadID)], headers: headers,
                body: .data(data), payloadHash: hash)
            if createOnly && completed.status == 412 {
                await abort(key, uploadID: uploadID)
                return .alreadyExists
            }
            // Complete can answer 200 and still carry an <Error> document.
            guard completed.isSuccess, XMLTree.parse(completed.body)?.name != "Error" else {
                throw completed.error(key: key)
            }
            return .created
        } catch {
            await abort(key, uploadID: uploadID)
            throw error
        }
    }

    /// A part as S3 stored it: what CompleteMultipartUpload must name.
    struct StoredPart: Sendable {
        let etag: String
        let checksum: String
    }

    private func uploadPart(_ key: String, from file: URL, number: Int, range: Range<Int64>, uploadID: String)
        async throws(StorageError) -> StoredPart
    {
        // Streamed straight from its range of the file, with its length: nothing is copied or held in memory.
        let checksum = CRC32.base64(try CRC32.of(file: file.path, range: range))
        let query: [(name: String, value: String)] = [("partNumber", String(number)), ("uploadId", uploadID)]
        let answer = try await exchange(
            "PUT", key: key, query: query,
            headers: [("x-amz-sdk-checksum-algorithm", "CRC32"), ("x-amz-checksum-crc32", checksum)],
            payloadHash: SigV4Signer.unsignedPayload
        ) {
            (request: HTTPRequest, http: HTTPClient, prepare: @escaping HTTPClient.Prepare) async throws(HTTPError)
                -> HTTPResponse in
            try await http.upload(request, file: file, range: range, prepare: prepare)
        }
        guard answer.isSuccess else { throw answer.error(key: key) }
        let response = answer.response
        guard let etag = response.header("etag") else {
            throw .invalidResponse(
                location: "s3://\(bucket)/\(key)", reason: "part \(number) was stored without an ETag")
        }
        return StoredPart(etag: etag, checksum: checksum)
    }

    /// AbortMultipartUpload, best effort. It runs in its own task so that it still goes out when the
    /// upload failed because its task was cancelled (a cancelled task's requests stop at once).
    func abort(_ key: String, uploadID: String) async {
        let store = self
        await Task {
            _ = try? await store.send("DELETE", key: key, query: [("uploadId", uploadID)])
        }.value
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
