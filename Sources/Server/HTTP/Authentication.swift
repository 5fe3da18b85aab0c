import Hummingbird

/// Checks `Authorization: Bearer TOKEN` against the tokens file and sets the caller. A request without a known token
/// gets 401 and nothing else. Without a tokens file (loopback only) every caller may act for any user.
struct Authentication: RouterMiddleware {
    typealias Context = ServerContext
    let tokens: TokenTable?
    let answer: Answer
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        guard let tokens else {
            context.caller = .open
            return try await next(request, context)
        }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), let caller = tokens.caller(for: String(header.dropFirst(prefix.count))) else {
            metrics.unauthorized()
            var response = answer.json(["error": "unauthorized"], status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        context.caller = caller
        return try await next(request, context)
    }
}
