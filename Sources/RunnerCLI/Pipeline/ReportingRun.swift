import Stages

/// The `ItemRun` of a generation outside a pipeline (`runner runway`): no budget or checkpoint, so every payment
/// is made, and each paid task is reported the moment it exists.
struct ReportingRun: ItemRun {
    /// Told each paid task's id.
    let onPaid: @Sendable (_ taskID: String) -> Void

    var resumedTask: String? { nil }
    func mayPay(_ credits: Double) async -> PaymentVerdict { .pay }
    func paid(taskID: String, credits: Double) async throws { onPaid(taskID) }
    func charged(taskID: String, estimated: Double, charged: Double) {}
    func status(_ status: ItemStatus) {}
    func providerFinished() {}
    func linkRefreshed() {}
    func warning(_ text: String) {}
}
