import Foundation
import Manifest

/// A profile's `credential_process`: a command (run by `/bin/sh -c`, as the AWS CLI splits and runs it) whose
/// standard output is `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
/// Its output is never printed; its standard error goes to the runner's, as the AWS CLI lets it.
public struct ProcessCredentialSource: CredentialSource {
    let command: String
    let profile: String
    let file: String
    let secrets: SecretValues

    /// Runs `command`, the `credential_process` of `profile` in `file`.
    public init(command: String, profile: String, file: String, secrets: SecretValues) {
        self.command = command
        self.profile = profile
        self.file = file
        self.secrets = secrets
    }

    public var name: String { "credential_process of profile \(profile) in \(file)" }

    public func credentials() async throws(StorageError) -> AWSCredentials? {
        let origin = name
        let command = self.command
        let result: Result<(status: Int32, output: Data), SourceProblem> = await BlockingProcess.run(command)
        switch result {
        case .failure(let problem):
            throw .credentialSource(origin: origin, reason: "the command could not be started: \(problem.reason)")
        case .success((let status, let output)):
            guard status == 0 else {
                throw .credentialSource(
                    origin: origin, reason: "the command exited with status \(status); run it yourself to see why")
            }
            if let document = try? JSONDecoder().decode(CredentialDocument.self, from: output), document.Version != 1 {
                throw .credentialSource(
                    origin: origin,
                    reason: "its output says Version \(document.Version.map(String.init) ?? "(none)"), not 1")
            }
            switch CredentialDocument.credentials(in: output, origin: origin) {
            case .success(let credentials): return credentials
            case .failure(let problem): throw .credentialSource(origin: origin, reason: problem.reason)
            }
        }
    }
}

/// Runs a shell command off the cooperative pool and collects its standard output.
enum BlockingProcess {
    static func run(_ command: String) async -> Result<(status: Int32, output: Data), SourceProblem> {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(returning: .failure(SourceProblem(error.localizedDescription)))
                    return
                }
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: .success((process.terminationStatus, output)))
            }
        }
    }
}
