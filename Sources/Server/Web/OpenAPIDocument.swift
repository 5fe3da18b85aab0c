/// The OpenAPI document `GET /openapi.json` serves (owned by the page's author; checked by schemathesis in a test).
enum OpenAPIDocument {
    static let json = """
        {"openapi":"3.1.0","info":{"title":"runner serve","version":"0"},"paths":{}}
        """
}
