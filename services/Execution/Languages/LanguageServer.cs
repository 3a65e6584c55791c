namespace WebIde.Execution.Languages;

/// <summary>
/// How a language's server starts in a sandbox (docs/api.md §6) and what the runner image needs for it. The Debian
/// packages go into deploy/runner/languages.txt with the language's own; the npm servers are deploy/runner/language-servers,
/// which the image's build installs at <see cref="Root"/> (a unit test checks that each command names one of its bins), with
/// the files some servers read there (clangd's compile flags).
/// </summary>
/// <param name="Command">The server, speaking LSP over its stdin and stdout, by an absolute path or a name on the image's PATH.</param>
/// <param name="ImagePackages">The Debian packages it needs in the runner image; those the language needs too may be named again.</param>
/// <param name="Environment">What it needs on top of the sandbox's environment (caches, modes), or null for nothing.</param>
/// <param name="InitializationOptions">
/// A JSON object the bridge gives the server as <c>initializationOptions</c> of the editor's <c>initialize</c>, for what a
/// server takes only there (typescript-language-server has no such command-line options), or null.
/// </param>
public sealed record LanguageServer(
    IReadOnlyList<string> Command,
    IReadOnlyList<string> ImagePackages,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? InitializationOptions = null)
{
    /// <summary>Where the runner image holds deploy/runner/language-servers (the npm servers and servers' files), read-only to the sandbox.</summary>
    public const string Root = "/opt/webide/language-servers";

    /// <summary>The npm servers' executables: npm links each package's bins here.</summary>
    public const string NpmBin = Root + "/node_modules/.bin";

    /// <summary>The absolute path of an npm server's bin in the image.</summary>
    public static string Npm(string bin) => $"{NpmBin}/{bin}";

    /// <summary>The folder in the image of a server's own files (deploy/runner/language-servers/&lt;name&gt;).</summary>
    public static string Files(string name) => $"{Root}/{name}";
}
