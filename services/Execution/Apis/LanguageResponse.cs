namespace WebIde.Execution.Apis;

/// <summary>One language as GET /api/languages and gRPC ListLanguages list it (docs/api.md §5).</summary>
public sealed record LanguageResponse(
    string Name,
    string DisplayName,
    string Version,
    IReadOnlyList<string> Extensions,
    string EditorLanguage,
    bool Compiled,
    bool LanguageServer);
