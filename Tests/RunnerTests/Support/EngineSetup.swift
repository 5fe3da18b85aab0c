import Foundation
import Manifest
import Runner
import Synchronization
import TestSupport
import Testing

/// A project driven in process through the `Runner` module's engine (no `runner` process): each `engine()` is a
/// fresh engine on the manifest as it is now, as a new process would be, and every event of every run is logged.
struct EngineSetup {
    let project: PipelineProject
    let tenant: DoubleTenant?
    let log = EventLog()

    /// The project's environment, pointed at the double's tenant when there is one.
    var environment: [String: String] {
        var environment = project.environment
        if let tenant {
            environment["RUNWAYML_API_SECRET"] = tenant.key
            environment["RUNWAYML_BASE_URL"] = tenant.base.absoluteString
        }
        return environment
    }

    /// A fresh engine on the manifest as it is now (a rerun is a new engine, as a new process would be).
    func engine() throws -> PipelineEngine {
        let result = ManifestLoader.load(path: project.manifest, options: ManifestOptions(environment: environment))
        let pipeline = try #require(result.pipeline, "\(result.diagnostics.map(\.description))")
        let log = self.log
        return PipelineEngine(
            pipeline: pipeline, options: EngineOptions(environment: environment, events: { log.append($0) }))
    }
}

/// Every event of a setup's runs, in the order the engine emitted them.
final class EventLog: Sendable {
    let events = Mutex<[RunEvent]>([])
    /// Called with each event once it is logged, on the engine's task (to act at a chosen moment of a run).
    let hook = Mutex<(@Sendable (RunEvent) -> Void)?>(nil)

    func append(_ event: RunEvent) {
        events.withLock { $0.append(event) }
        hook.withLock { $0 }?(event)
    }

    /// The events logged so far.
    var all: [RunEvent] { events.withLock { $0 } }

    /// Forgets the events logged so far (before a rerun whose events alone are to be read).
    func clear() { events.withLock { $0.removeAll() } }
}
