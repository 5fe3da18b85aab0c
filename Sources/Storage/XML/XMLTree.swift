import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: name, direct text and children. S3's answers are small and shallow, so a
/// tree is simpler to query than a streaming parser and costs little.
struct XMLTree: Sendable {
    let name: String
    let text: String
    let children: [XMLTree]

    /// Parses a document; nil when it is not well-formed XML.
    static func parse(_ data: Data) -> XMLTree? {
        let builder = XMLTreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

    /// The first child named `name`.
    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child named `name`.
    func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func text(_ name: String) -> String? { child(name)?.text }
}

/// The XMLParser delegate that builds an `XMLTree`; lives only for one synchronous parse.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private struct Open {
        var name: String
        var text = ""
        var children: [XMLTree] = []
    }

    private var stack: [Open] = []
    private(set) var root: XMLTree?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        stack.append(Open(name: elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        guard let open = stack.popLast() else { return }
        let element = XMLTree(name: open.name, text: open.text, children: open.children)
        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
    }
}
