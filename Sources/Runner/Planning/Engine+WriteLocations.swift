import Manifest
import Stages

extension PipelineEngine {
    /// Refuses, before anything is listed, made or paid for, a pipeline whose local destinations (clips, films, the
    /// run record, the state) lie outside the write boundary (docs/security.md). Each write is checked again when it
    /// is made; this check only makes the refusal come first, so no paid clip is made only to be refused a place.
    func checkWriteLocations() throws(WriteRefusal) {
        var locations: [Location] = [pipeline.state]
        for stage in pipeline.stages {
            switch stage.kind {
            case let .generate(generate): locations.append(generate.to)
            case let .publish(publish): locations += [publish.to] + (publish.record.map { [$0] } ?? [])
            default: continue
            }
        }
        for case let .local(path) in locations {
            try stores.checkWrite(path: path)
        }
    }
}
