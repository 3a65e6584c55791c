namespace WebIde.Execution.Languages;

/// <summary>
/// How a language's server starts in a sandbox (docs/api.md §6) and what the runner image needs for it. The Debian
/// packages go into deploy/runner/languages.txt with the language's own; the npm servers are deploy/runner/language-servers,
/// which the image's build installs at <see cref="NpmRoot"/> (a unit test checks that each command names one of its bins).
/// </summary>
/// <param name="Command">The server, speaking LSP over its stdin and stdout, by an absolute path or a name on the image's PATH.</param>
/// <param name="ImagePackages">The Debian packages it needs in the runner image; those the language needs too may be named again.</param>
/// <param name="Environment">What it needs on top of the sandbox's environment (caches, modes), or null for nothing.</param>
public sealed record LanguageServer(
    IReadOnlyList<string> Command,
    IReadOnlyList<string> ImagePackages,
    IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>Where the runner image holds the npm language servers (deploy/runner/language-servers), read-only to the sandbox.</summary>
    public const string NpmRoot = "/opt/webide/language-servers";

    /// <summary>The npm servers' executables: npm links each package's bins here.</summary>
    public const string NpmBin = NpmRoot + "/node_modules/.bin";

    /// <summary>The absolute path of an npm server's bin in the image.</summary>
    public static string Npm(string bin) => $"{NpmBin}/{bin}";
}
