import Foundation
import Manifest
import Testing

/// Manifests as editors save them (issue #15): a leading UTF-8 byte order mark is accepted, as YAML allows, with or
/// without CRLF line ends, and positions still count from the first character the editor shows.
@Suite struct ByteOrderMarkTests {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The reproduction: a file saved with a BOM was "2:1: invalid YAML: did not find expected <document start>".
    @Test func aManifestFileWithAByteOrderMarkLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runner-bom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pipeline.yaml")
        try Data(Self.bom + Array(quickstart.utf8)).write(to: file)
        let result = ManifestLoader.load(path: file.path)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.description))")
        #expect(result.pipeline?.name == "quickstart")
    }

    @Test func aByteOrderMarkWithCRLFLineEndsLoads() {
        let crlf = quickstart.replacingOccurrences(of: "\n", with: "\r\n")
        let result = ManifestLoader.load(
            bytes: Self.bom + Array(crlf.utf8), file: "pipeline.yaml", directory: "/work/project")
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.description))")
        #expect(result.pipeline?.stages.count == 4)
    }

    /// Columns on the first line count from the first visible character, not from the mark's bytes.
    @Test func positionsOnTheFirstLineIgnoreTheMark() {
        let text =
            "version: 7\n"
            + quickstart.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        let result = ManifestLoader.load(
            bytes: Self.bom + Array(text.utf8), file: "pipeline.yaml", directory: "/work/project")
        let found = result.diagnostics.first { $0.message.contains("version") }
        #expect(found != nil, "\(result.diagnostics.map(\.description))")
        #expect(
            found.map { ($0.position.line, $0.position.column) } ?? (0, 0) == (1, 10), "\(String(describing: found))")
    }

    /// Only one mark, at the start, is the stream's: one in the middle of a value stays part of the text.
    @Test func aMarkElsewhereIsNotRemoved() {
        let text = quickstart.replacingOccurrences(of: "name: quickstart", with: "name: \u{FEFF}quickstart")
        let result = ManifestLoader.load(bytes: Array(text.utf8), file: "pipeline.yaml", directory: "/work/project")
        #expect(result.pipeline?.name != "quickstart")
    }
}
