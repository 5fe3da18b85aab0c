import ArgumentParser
import Foundation
import Manifest
import Media
import Runway
import Stages

/// `runner runway FRAME... -o DIR`: Runway clips for frames, without a manifest (the paid counterpart of `runner kenburns`).
struct RunwayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runway",
        abstract: "Generate one Runway clip per frame, without a manifest. Paid: each clip costs credits.",
        discussion: """
            The key comes from RUNWAYML_API_SECRET and the base URL from RUNWAYML_BASE_URL, as in Runway's SDKs.
            The model, ratio, duration and --audio are checked against the runner's model catalog (`runner models`)
            before anything is sent. Clips are written to DIR as FRAME-STEM.mp4. Each submission and each finished clip is reported
            on standard error as it happens; a summary on standard output ends the run: clips, credits,
            wall time, ambiguous POST retries, and the client's CPU time per clip.

            Exit status: 0 when every clip was made, 1 when one failed, 2 for invalid input or usage.

            Example:
              RUNWAYML_API_SECRET=... runner runway frames/*.jpg -o clips/ --prompt "Slow push-in" --concurrency 3
            """
    )

    @Argument(help: "Frames: PNG, JPEG or WebP files.")
    var frames: [String]

    @Option(name: .shortAndLong, help: "The folder for the clips.")
    var output: String

    @Option(help: ArgumentHelp("The model: \(ModelCatalog.modelNames(for: .runway).joined(separator: ", "))."))
    var model: String = ModelCatalog.defaultModel(for: .runway)?.name ?? "gen4_turbo"

    @Option(help: "WIDTH:HEIGHT among the model's ratios.")
    var ratio: String = "1280:720"

    @Option(help: "Seconds, among the model's durations (the model's default when absent).")
    var duration: Int?

    @Flag(
        help: ArgumentHelp(
            "A sound track, for \(ModelCatalog.modelNames(accepting: .audio).joined(separator: " and ")) only "
                + "(it changes the price)."))
    var audio = false

    @Option(help: "What should happen in the clip.")
    var prompt: String?

    @Option(help: "A fixed seed, for reproducible clips.")
    var seed: UInt32?

    @Option(help: "Clips in flight at once (your tier's limit; more wait as THROTTLED at Runway).")
    var concurrency: Int = 1

    @Option(help: "How often to poll a task: 500ms, 6s...")
    var pollInterval: String = "6s"

    /// What the options and the environment say, checked: a usage error (exit 2) before anything is sent.
    private struct Settings {
        let key: String, ratio: Ratio, duration: Int, interval: Duration, base: URL
    }

    /// The model from the catalog, with the ratio, duration, sound and prompt it takes, checked as `validate` checks
    /// a generate stage.
    private func checkedModel() throws -> (ModelSpec, Ratio, Int) {
        guard let spec = ModelCatalog.model(named: model, for: .runway) else {
            if let replacement = ModelCatalog.retired[model] {
                throw ValidationError("--model \(model): \(replacement)")
            }
            throw ValidationError(
                "--model \(model) is not a Runway model the runner knows; use one of "
                    + ModelCatalog.modelNames(for: .runway).joined(separator: ", "))
        }
        guard let ratio = Ratio(ratio) else { throw ValidationError("--ratio takes WIDTH:HEIGHT, such as 1280:720") }
        guard spec.ratios.accepts(ratio) else {
            throw ValidationError("--ratio \(ratio) is not a ratio of \(spec.name); it takes \(spec.ratios.summary)")
        }
        let seconds = duration ?? spec.defaultDuration
        guard spec.durations.accepts(seconds) else {
            throw ValidationError(
                "--duration \(seconds) is not a duration of \(spec.name); it takes \(spec.durations.summary)")
        }
        if audio, !spec.acceptsAudio {
            throw ValidationError(
                "--audio: \(spec.name) makes no sound; it is an option of "
                    + ModelCatalog.modelNames(accepting: .audio).joined(separator: ", "))
        }
        if spec.requiresPrompt, prompt?.isEmpty ?? true {
            throw ValidationError("\(spec.name) needs a --prompt")
        }
        return (spec, ratio, seconds)
    }

    private func settings() throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        guard let key = environment[RunwayAPI.apiKeyVariable], !key.isEmpty else {
            throw ValidationError("set \(RunwayAPI.apiKeyVariable) to your Runway API key")
        }
        let (_, ratio, duration) = try checkedModel()
        guard let interval = DurationText.parse(pollInterval) else {
            throw ValidationError("--poll-interval takes a duration such as 6s")
        }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard let base = URL(string: environment[RunwayAPI.baseURLVariable] ?? RunwayAPI.defaultBaseURL) else {
            throw ValidationError("\(RunwayAPI.baseURLVariable) is not a URL")
        }
        return Settings(key: key, ratio: ratio, duration: duration, interval: interval, base: base)
    }

    func validate() throws {
        _ = try settings()
    }

    func run() async throws {
        let settings = try settings()
        let (key, ratio, interval, base) = (settings.key, settings.ratio, settings.interval, settings.base)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let generator = RunwayGenerator(
            client: RunwayClient(
                configuration: .init(
                    baseURL: base, apiKey: Secret(key), keySource: RunwayAPI.apiKeyVariable, pollInterval: interval)))
        let jobs = frames.map { frame in
            var job = GenerationJob(
                frame: .file(path: frame), frameName: URL(fileURLWithPath: frame).lastPathComponent, model: model,
                ratio: ratio, duration: settings.duration, prompt: prompt, seed: seed)
            job.audio = audio
            return job
        }

        let started = ContinuousClock.now
        let cpuBefore = ProcessCPU.seconds()
        @Sendable func make(_ index: Int) async -> (Int, Result<GenerationResult, any Error>) {
            let job = jobs[index]
            let clip = folder.appendingPathComponent(
                URL(fileURLWithPath: job.frameName).deletingPathExtension().lastPathComponent + ".mp4")
            do {
                let result = try await generator.generate(
                    job, to: clip,
                    run: ReportingRun { taskID in
                        // Paid work has started: say so at once, with the task id to find it in Runway's dashboard.
                        RunwayCommand.report("\(job.frameName): submitted task \(taskID)")
                    })
                RunwayCommand.report(
                    "\(job.frameName): \(clip.path), task \(result.taskID ?? "-"), \(Int(result.credits)) credits")
                return (index, .success(result))
            } catch {
                RunwayCommand.report("\(job.frameName): \(error)")
                return (index, .failure(error))
            }
        }
        // A sliding window: the next clip starts the moment one finishes, never in fixed batches.
        let outcomes = await withTaskGroup(of: (Int, Result<GenerationResult, any Error>).self) { group in
            var pending = jobs.indices.makeIterator()
            for _ in 0..<min(concurrency, jobs.count) {
                if let index = pending.next() { group.addTask { await make(index) } }
            }
            var finished: [(Int, Result<GenerationResult, any Error>)] = []
            for await outcome in group {
                finished.append(outcome)
                if let index = pending.next() { group.addTask { await make(index) } }
            }
            return finished.sorted { $0.0 < $1.0 }
        }
        let results = outcomes.map { (job: jobs[$0.0], outcome: $0.1) }
        let cpu = ProcessCPU.seconds() - cpuBefore
        let wall = DurationText.seconds(ContinuousClock.now - started)

        var credits = 0.0
        var ambiguous = 0
        var failed = 0
        for (_, outcome) in results {
            switch outcome {
            case .success(let result):
                credits += result.credits
                ambiguous += result.ambiguousRetries
            case .failure:
                failed += 1
            }
        }
        print(
            String(
                format:
                    "%d clips, %d failed, %.0f credits (%.2f USD), %.2f s, %d ambiguous POST retries, client CPU %.2f ms per clip",
                results.count - failed, failed, credits, credits * ModelCatalog.dollarsPerCredit, wall, ambiguous,
                cpu * 1000 / Double(max(results.count, 1))))
        if failed > 0 { throw ExitCode(ExitStatus.failure) }
    }
}

extension RunwayCommand {
    /// A progress line on standard error, written at once (clips take minutes; nothing waits for the end).
    static func report(_ line: String) {
        StandardError.write(line + "\n")
    }
}
