using System.Text;

namespace WebIde.Execution.Languages;

/// <summary>
/// deploy/runner/languages.txt, made from the catalog: what the runner image's build installs for each
/// language and runs to record its version (docs/platform.md, "Languages"). One tab-separated line per
/// language: name, display name, version command, packages separated by spaces (the language's, then its server's),
/// and the program of its language server (<see cref="NoServer"/> for none), whose version the build records too.
/// </summary>
public static class RunnerImageLanguages
{
    public const string RepositoryPath = "deploy/runner/languages.txt";

    /// <summary>What rewrites the file; a test compares it with the catalog and says this when they differ.</summary>
    public const string Regenerate = "WEBIDE_REGENERATE=1 dotnet test tests/WebIde.Execution.UnitTests --filter RunnerImageLanguagesTests";

    /// <summary>The last field of a language without a server.</summary>
    public const string NoServer = "-";

    public static string Render(IEnumerable<LanguageDefinition> languages)
    {
        var text = new StringBuilder()
            .Append("# Generated from services/Execution/Languages/Definitions; do not edit. Regenerate: ").Append(Regenerate).Append('\n')
            .Append("# build.sh installs these packages on top of packages.txt (the npm language servers are deploy/runner/language-servers)\n")
            .Append("# and writes /etc/webide/languages.json from the version commands and the servers' programs.\n")
            .Append("# name<TAB>display name<TAB>version command<TAB>Debian packages<TAB>language server program (").Append(NoServer).Append(": none)\n");
        foreach (var language in languages)
        {
            var server = language.LanguageServer;
            string[] fields =
            [
                language.Name, language.DisplayName, language.VersionCommand,
                string.Join(' ', language.ImagePackages.Concat(server?.ImagePackages ?? []).Distinct(StringComparer.Ordinal)),
                server is null ? NoServer : server.Command.FirstOrDefault() ?? "",
            ];
            if (fields.Any(field => field.Length == 0 || field.Contains('\t', StringComparison.Ordinal) || field.Contains('\n', StringComparison.Ordinal)))
            {
                throw new ArgumentException($"{language.Name}: a name, display name, version command, packages and a server's command (if it has one) are needed, without tabs or line breaks.", nameof(languages));
            }

            text.AppendJoin('\t', fields).Append('\n');
        }

        return text.ToString();
    }
}
