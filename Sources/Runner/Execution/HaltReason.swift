/// Why a stage could not start.
struct HaltReason: Error {
    let text: String
}
