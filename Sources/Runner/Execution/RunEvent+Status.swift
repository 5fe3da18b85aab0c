import Stages

extension RunEvent {
    /// Fills `status` and `progress` from an item's status.
    mutating func fill(_ itemStatus: ItemStatus) {
        switch itemStatus {
        case .pending: status = "PENDING"
        case .throttled: status = "THROTTLED"
        case let .running(progress):
            status = "RUNNING"
            self.progress = progress
        case let .merging(progress):
            status = "MERGING"
            self.progress = progress
        }
    }
}
