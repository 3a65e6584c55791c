using System.Text.RegularExpressions;
using WebIde.Execution.Layout;
using WebIde.Execution.Runs;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// The workspace as a client names it (<c>file:///workspace/&lt;path&gt;</c>, docs/api.md §6) and as the
/// server sees it (the sandbox's project root), and the rewriting between them: a client never learns
/// where the files really are, and can name nothing outside the workspace.
/// </summary>
public static partial class LspUris
{
    public const string ClientRoot = "file:///workspace";
    public const string ClientRootPath = "/workspace";
    public const string ServerRoot = "file://" + SandboxLayout.Root;

    /// <summary>The server's URI for a client's, or null (with why) when the client's names something outside the workspace.</summary>
    public static string? ToServer(string uri, out string? problem)
    {
        problem = null;
        if (uri is ClientRoot or ClientRoot + "/")
        {
            return ServerRoot + uri[ClientRoot.Length..];
        }
        if (!uri.StartsWith(ClientRoot + "/", StringComparison.Ordinal))
        {
            problem = $"'{Shorten(uri)}' is not inside {ClientRoot}/";
            return null;
        }

        var rest = uri[(ClientRoot.Length + 1)..];
        if (rest.IndexOfAny(['?', '#']) >= 0)
        {
            problem = $"'{Shorten(uri)}' has a query or fragment";
            return null;
        }
        string path;
        try
        {
            path = Uri.UnescapeDataString(rest);
        }
        catch (UriFormatException)
        {
            problem = $"'{Shorten(uri)}' is not a valid URI";
            return null;
        }
        if (ProjectPaths.Problem(path) is { } pathProblem)
        {
            problem = $"the path of '{Shorten(uri)}' {pathProblem}";
            return null;
        }
        return $"{ServerRoot}/{rest}";
    }

    /// <summary>
    /// Text of a server's message with every mention of the project root, as a URI or a path, turned into
    /// the client's: <c>file:///sandbox/a.py</c> becomes <c>file:///workspace/a.py</c>, <c>/sandbox/a.py:3</c>
    /// in a diagnostic's message <c>/workspace/a.py:3</c>.
    /// </summary>
    public static string ToClient(string text) =>
        text.Contains(SandboxLayout.Root, StringComparison.Ordinal) ? ServerRootMention().Replace(text, "${scheme}" + ClientRootPath) : text;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    // The root where it starts a path: not inside a longer name (/home/sandbox, /sandboxes).
    [GeneratedRegex(@"(?<![\w./-])(?<scheme>file://)?" + SandboxLayout.Root + @"(?![\w.-])")]
    private static partial Regex ServerRootMention();
}
