// libFuzzer harness: arbitrary bytes through the whole manifest reader (YAML loader, shape checks, interpolation,
// decoding), with canary values in the environment. Built by run.sh; not part of the package.
@testable import Manifest

/// A secret and a plain environment value: neither may appear in a diagnostic unless the input itself holds it.
let secretValue = "zqSECRETcanary4242"
let plainValue = "zqPLAINvalue7373"
let environment = [
    "AWS_SECRET_ACCESS_KEY": secretValue, "PLAIN": plainValue, "RUNWAYML_API_SECRET": secretValue + "-runway",
]
let options = ManifestOptions(variables: [], environment: environment, requireEnvironment: false)
let optionsWithVar = ManifestOptions(
    variables: [("user", plainValue + "-var")], environment: environment, requireEnvironment: true)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let input = String(decoding: bytes, as: UTF8.self)
    for options in [options, optionsWithVar] {
        let result = ManifestLoader.load(bytes: bytes, file: "fuzz.yaml", directory: "/fuzz", options: options)
        for diagnostic in result.diagnostics {
            if InertText.hasControlCharacters(diagnostic.message) {
                fatalError("a diagnostic holds a control character: \(InertText.escaped(diagnostic.message))")
            }
            for value in [secretValue, plainValue] where diagnostic.message.contains(value) && !input.contains(value) {
                fatalError("an environment value reached a diagnostic: \(diagnostic.message)")
            }
        }
        if result.pipeline != nil && result.hasErrors { fatalError("a pipeline despite errors") }
        for format in DiagnosticFormat.allCases {
            let output = DiagnosticRenderer.render([result], as: format)
            if format == .github, output.split(separator: "\n").contains(where: { !$0.hasPrefix("::") }) {
                fatalError("a GitHub annotation spans lines: \(InertText.escaped(output))")
            }
        }
    }
    return 0
}
