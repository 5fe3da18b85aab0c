// libFuzzer harness: arbitrary text through Template, the Interpolator (every destination), ManifestURL and
// MetadataAddress. Built by run.sh; not part of the package.
@testable import Manifest

let secretValue = "zqSECRETcanary4242"
let plainValue = "zqPLAINvalue7373"
let environment = ["AWS_SECRET_ACCESS_KEY": secretValue, "PLAIN": plainValue, "EMPTY": ""]
let secrets = SecretValues(environment: environment)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let template = Template(parsing: text)
    for problem in template.problems where problem.occurrence < 0 { fatalError("a negative occurrence") }
    let source = SourceText(file: "fuzz.yaml", text: text)
    let scalar = YAMLScalar(
        value: text, style: .quoted, position: SourcePosition(file: "fuzz.yaml", line: 1, column: 1))
    var interpolator = Interpolator(
        source: source, environment: environment, requireEnvironment: false, secrets: secrets,
        name: "fuzz")
    interpolator.variables = [
        "user": .init(value: "alice", origin: .manifest, shown: "alice", taint: Taint()),
        "key": .init(
            value: secretValue, origin: .manifest, shown: nil, taint: Taint(environmentNames: ["AWS_SECRET_ACCESS_KEY"])
        ),
        "gone": .init(value: nil, origin: .manifest, shown: nil, taint: Taint()),
    ]
    interpolator.session = .init(value: "s-1", origin: .manifest, shown: "s-1", taint: Taint())
    for destination in [Interpolator.Destination.plain, .secret, .definition] {
        for pathSafe in [false, true] {
            guard
                let resolved = interpolator.resolve(scalar, path: "field", pathSafe: pathSafe, destination: destination)
            else { continue }
            for value in [secretValue, plainValue] where resolved.display.contains(value) && !text.contains(value) {
                fatalError("a display form shows an environment value: \(resolved.display)")
            }
            if resolved.isShowable && !resolved.taint.environmentNames.isEmpty {
                fatalError("a value from the environment counts as showable: \(resolved.display)")
            }
        }
    }
    for diagnostic in interpolator.diagnostics.all {
        if diagnostic.message.contains(secretValue) && !text.contains(secretValue) {
            fatalError("secret in \(diagnostic)")
        }
        if InertText.hasControlCharacters(diagnostic.message) { fatalError("control character in a diagnostic") }
    }
    _ = SecretFlow.check(
        interpolator.plainUses, secrets: secrets, secretFieldNames: interpolator.secretEnvironmentNames)
    if let url = try? ManifestURL(parsing: text) {
        if url.host.isEmpty || url.host.contains(where: { $0 == "@" || $0 == "/" || $0 == "\\" || $0.isWhitespace }) {
            fatalError("a URL host that is not plain: \(url.host)")
        }
        _ = MetadataAddress.isForbidden(host: url.host)
    }
    _ = MetadataAddress.isForbidden(host: text)
    _ = InertText.redactedURL(text)
    _ = secrets.scrub(text)
    return 0
}
