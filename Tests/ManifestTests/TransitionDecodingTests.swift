import Manifest
import Testing

/// A merge stage's `transition` and `transitions`: every duration form, per-join entries, and bad values reported
/// at their place.
@Suite struct TransitionDecodingTests {
    /// The quickstart with its film stage written as `film` (one line under `stages:`, or block lines indented 4).
    func manifest(film: String) -> String {
        quickstart.replacingOccurrences(of: "film:    { type: merge, needs: [clips] }", with: film)
    }

    func merge(_ result: ManifestResult) -> MergeOptions? {
        guard let stage = result.pipeline?.stages.first(where: { $0.name == "film" }),
            case .merge(let options) = stage.kind
        else { return nil }
        return options
    }

    @Test(arguments: [("0.5s", 0.5), ("500ms", 0.5), ("0.5", 0.5), ("1", 1.0), ("1.25s", 1.25)])
    func aDurationIsSecondsOrADuration(written: String, seconds: Double) throws {
        let result = load(
            manifest(
                film:
                    "film:    { type: merge, needs: [clips], transition: { type: dip-to-black, duration: \(written) } }"
            ))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let options = try #require(merge(result))
        #expect(options.transition == Transition(kind: .dipToBlack, duration: seconds))
    }

    @Test func everyTypeIsAccepted() throws {
        for kind in ["crossfade", "dip-to-black", "wipe-left", "wipe-right", "slide-left", "slide-right"] {
            let result = load(
                manifest(
                    film: "film:    { type: merge, needs: [clips], transition: { type: \(kind), duration: 0.5s } }"))
            #expect(result.diagnostics.isEmpty, "\(kind): \(result.diagnostics)")
            #expect(try #require(merge(result)).transition?.kind.rawValue == kind)
        }
    }

    @Test func joinTransitionsKeepTheirGlobsAndPlaces() throws {
        let result = load(
            manifest(
                film: """
                    film:
                        type: merge
                        needs: [clips]
                        transition: { type: crossfade, duration: 0.5s }
                        transitions:
                          - { after: "frame_03_*", type: wipe-left, duration: 1s }
                          - after: "scene-2*"
                            type: slide-right
                            duration: 250ms
                    """))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let options = try #require(merge(result))
        #expect(options.transitions.map(\.after) == ["frame_03_*", "scene-2*"])
        #expect(
            options.transitions.map(\.transition) == [
                Transition(kind: .wipeLeft, duration: 1), Transition(kind: .slideRight, duration: 0.25),
            ])
        #expect(options.transitions.map(\.position.line) == [13, 14])
    }

    @Test func aWrongTypeOrDurationIsReportedWhereItIsWritten() {
        let result = load(
            manifest(
                film: """
                    film:
                        type: merge
                        needs: [clips]
                        transition: { type: fade, duration: 0.5s }
                        transitions:
                          - { after: "frame_03_*", type: wipe-left, duration: fast }
                          - { type: crossfade, duration: 9s }
                    """))
        expectError(result, "`stages.film.transition.type` must be one of crossfade, dip-to-black", at: 11, 25)
        expectError(
            result, "`stages.film.transitions[0].duration` must be a number of seconds or a duration", at: 13, 59)
        expectError(result, "`stages.film.transitions[1].duration` must be from 0.04 to 5; it is 9s", at: 14, 38)
        expectError(result, "needs `after`", at: 14, 9)
    }

    @Test func copyModeRefusesTransitions() {
        let result = load(
            manifest(
                film: """
                    film:
                        type: merge
                        needs: [clips]
                        mode: copy
                        transitions:
                          - { after: "frame_03_*", type: wipe-left, duration: 1s }
                    """))
        expectError(
            result, "`stages.film.transitions` re-encodes the joins, so it cannot be used in copy mode", at: 12, 5)
    }
}
