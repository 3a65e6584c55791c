namespace WebIde.Execution.Languages;

/// <summary>How a language's server starts in a sandbox (docs/api.md §6); its packages go in <see cref="LanguageDefinition.ImagePackages"/>.</summary>
/// <param name="Command">The server, speaking LSP over its stdin and stdout.</param>
public sealed record LanguageServer(IReadOnlyList<string> Command);
