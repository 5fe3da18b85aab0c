/// Constants of Runway's developer API that every part of the client shares.
public enum RunwayAPI {
    /// The API version every request names in `X-Runway-Version`.
    public static let version = "2024-11-06"
    /// The default base URL; the official SDKs let `RUNWAYML_BASE_URL` override it.
    public static let defaultBaseURL = "https://api.dev.runwayml.com"
    /// The environment variable that holds the API key in the official SDKs.
    public static let apiKeyVariable = "RUNWAYML_API_SECRET"
    /// The environment variable that overrides the base URL in the official SDKs.
    public static let baseURLVariable = "RUNWAYML_BASE_URL"
}
