import Manifest
import Stages

extension PipelineEngine {
    /// Refuses, before anything is listed, made or paid for, a pipeline whose local destinations (clips, films, the
    /// run record, the state) lie outside the write boundary (docs/security.md). Each write is checked again when it
    /// is made; this check only makes the refusal come first, so no paid clip is made only to be refused a place.
    func checkWriteLocations() throws(WriteRefusal) {
        var locations: [Location] = [pipeline.state]
        for stage in pipeline.stages {
            // A stage that cannot be made (a provider that does not exist) is reported by the planner, next.
            guard case .work(let work)? = try? StageRegistry.stage(for: stage, in: pipeline) else { continue }
            locations += work.writeLocations
        }
        for case .local(let path) in locations {
            try stores.checkWrite(path: path)
        }
    }
}
