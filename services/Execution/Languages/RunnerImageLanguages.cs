using System.Text;

namespace WebIde.Execution.Languages;

/// <summary>
/// deploy/runner/languages.txt, made from the catalog: what the runner image's build installs for each
/// language and runs to record its version (docs/platform.md, "Languages"). One tab-separated line per
/// language: name, display name, version command, packages separated by spaces.
/// </summary>
public static class RunnerImageLanguages
{
    public const string RepositoryPath = "deploy/runner/languages.txt";

    /// <summary>What rewrites the file; a test compares it with the catalog and says this when they differ.</summary>
    public const string Regenerate = "WEBIDE_REGENERATE=1 dotnet test tests/WebIde.Execution.UnitTests --filter RunnerImageLanguagesTests";

    public static string Render(IEnumerable<LanguageDefinition> languages)
    {
        var text = new StringBuilder()
            .Append("# Generated from services/Execution/Languages/Definitions; do not edit. Regenerate: ").Append(Regenerate).Append('\n')
            .Append("# build.sh installs these packages on top of packages.txt and writes /etc/webide/languages.json from the version commands.\n")
            .Append("# name<TAB>display name<TAB>version command<TAB>Debian packages\n");
        foreach (var language in languages)
        {
            string[] fields = [language.Name, language.DisplayName, language.VersionCommand, string.Join(' ', language.ImagePackages)];
            if (fields.Any(field => field.Length == 0 || field.Contains('\t', StringComparison.Ordinal) || field.Contains('\n', StringComparison.Ordinal)))
            {
                throw new ArgumentException($"{language.Name}: a name, display name, version command and packages are needed, without tabs or line breaks.", nameof(languages));
            }

            text.AppendJoin('\t', fields).Append('\n');
        }

        return text.ToString();
    }
}
