/// What a stage may tell the engine while it makes one work item, and the one thing it must ask: whether it may pay.
///
/// The engine gives each item its own `ItemRun` (checkpoints, budget, events and the provider's slot live behind
/// it); a stage or generator never sees them. Every method may be called from any task.
public protocol ItemRun: Sendable {
    /// A task a previous run paid for and recorded: to be polled, never paid for again.
    var resumedTask: String? { get }

    /// Asked before every paid submission, a retry's too, with the most it can cost: the engine reserves that much
    /// against the budget and the account's allowance, or says why the run pays for nothing more.
    func mayPay(_ credits: Double) async -> PaymentVerdict

    /// A paid task exists. Returns once it is noted in the local journal and recorded as `submitted` in the state,
    /// so a caller that has not polled it yet loses nothing if the run is killed from here on; throws when the record
    /// cannot be written (the task stays in the journal). `credits` is the provider's estimate: the most it can cost.
    func paid(taskID: String, credits: Double) async throws

    /// A task ended with its final charge (0 when refunded), replacing its reservation at `estimated`.
    func charged(taskID: String, estimated: Double, charged: Double)

    /// Where the provider has got to.
    func status(_ status: ItemStatus)

    /// The provider has finished its part (the rest is a download and an upload): its slot is free from here on.
    func providerFinished()

    /// An expired output link was replaced by a fresh one (a free read; no new task).
    func linkRefreshed()

    /// A problem that does not stop the item (a contact sheet that could not be made), as a sentence.
    func warning(_ text: String)
}
