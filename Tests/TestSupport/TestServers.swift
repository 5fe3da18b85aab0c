import Foundation
import Manifest
import Storage

/// A test's precondition that is not met, reported as the test's failure.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}

/// The moto servers scripts/test-servers/moto.sh starts, and helpers around them.
public enum Moto {
    public static let runThroughScript = "run the tests through `make test` / scripts/test.sh, which starts moto"

    /// The open moto server (any credentials work).
    public static func endpoint() throws -> URL {
        try url(named: "RUNNER_TEST_S3_ENDPOINT")
    }

    public static func url(named variable: String) throws -> URL {
        guard let text = ProcessInfo.processInfo.environment[variable], let url = URL(string: text) else {
            throw TestSetupError(description: "\(variable) is not set: \(runThroughScript)")
        }
        return url
    }

    public static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError(description: "\(name) is not set: \(runThroughScript)")
        }
        return value
    }

    /// Fixed test credentials (moto's open server accepts any).
    public static let credentials = AWSCredentials(
        accessKeyID: "AKIDRUNNERTEST", secretAccessKey: Secret("runner-test-secret"),
        origin: "the test")

    /// A fresh bucket name.
    public static func bucketName(_ hint: String) -> String {
        "rt-\(hint)-\(UUID().uuidString.lowercased().prefix(8))"
    }

    /// A store on a new bucket of the open server.
    public static func store(
        _ hint: String, options: S3TransferOptions = S3TransferOptions(), endpoint: URL? = nil,
        credentials: AWSCredentials = Moto.credentials
    ) async throws -> S3Store {
        let configuration = S3Configuration(
            region: "us-east-1", endpoint: try endpoint ?? Moto.endpoint(),
            credentials: CredentialChain([]))
        let store = S3Store(
            bucket: bucketName(hint), configuration: configuration, credentials: credentials, options: options)
        try await store.createBucket()
        return store
    }

    /// Environment for the AWS CLI against the open server.
    public static func awsEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey.revealed()
        environment["AWS_DEFAULT_REGION"] = "us-east-1"
        environment["AWS_PAGER"] = ""
        return environment
    }
}

/// Temporary files and processes for tests.
public enum Scratch {
    /// A new empty folder under the temporary directory.
    public static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runner-storage-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file of `size` random bytes.
    public static func randomFile(size: Int, in folder: URL, name: String = "data.bin") throws -> URL {
        let url = folder.appendingPathComponent(name)
        let result = try run("/bin/sh", ["-c", "head -c \(size) /dev/urandom > '\(url.path)'"])
        guard result.status == 0 else {
            throw TestSetupError(description: "cannot write random bytes: \(result.errorOutput)")
        }
        return url
    }

    /// Runs a program to completion.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        input: Data? = nil
    ) throws -> (status: Int32, output: String, errorOutput: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        // stderr goes to a file, so neither stream can fill a pipe while the other is read.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runner-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        let errorHandle = try FileHandle(forWritingTo: errorPath)
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let errorData = (try? Data(contentsOf: errorPath)) ?? Data()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    /// The full path of a program on PATH.
    public static func which(_ name: String) throws -> String {
        let result = try run("/usr/bin/env", ["which", name])
        let path = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, !path.isEmpty else {
            throw TestSetupError(description: "\(name) is not on PATH; run scripts/setup.sh")
        }
        return path
    }
}
