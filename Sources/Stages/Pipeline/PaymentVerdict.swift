/// The engine's answer to `ItemRun.mayPay`.
public enum PaymentVerdict: Sendable, Equatable {
    /// Submit: the credits are reserved.
    case pay
    /// Submit nothing more: the budget would be passed, an account's daily allowance is used up, or the run is
    /// stopping. The engine has said why to the user; the item ends with `ItemFailure.notPaid`.
    case refused
}
