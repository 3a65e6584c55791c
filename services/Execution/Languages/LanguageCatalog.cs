using WebIde.Execution.Languages.Definitions;

namespace WebIde.Execution.Languages;

/// <summary>The languages the platform offers (docs/api.md §5), each defined in one file of Languages/Definitions.</summary>
public sealed class LanguageCatalog
{
    private readonly Dictionary<string, LanguageDefinition> _byName;

    public LanguageCatalog()
        : this([new Python(), new JavaScript(), new TypeScript(), new C(), new Cpp(), new Java(), new Go(), new Rust(), new Bash()])
    {
    }

    /// <param name="all">In the order the APIs list them; names and extensions each belong to one language.</param>
    public LanguageCatalog(IReadOnlyList<LanguageDefinition> all)
    {
        _byName = new Dictionary<string, LanguageDefinition>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var language in all)
        {
            if (!_byName.TryAdd(language.Name, language))
            {
                throw new ArgumentException($"Two languages are named '{language.Name}'.", nameof(all));
            }

            foreach (var extension in language.Extensions)
            {
                if (!owners.TryAdd(extension, language.Name))
                {
                    throw new ArgumentException($"'{extension}' belongs to both {owners[extension]} and {language.Name}.", nameof(all));
                }
            }
        }

        All = all;
        Names = [.. all.Select(language => language.Name)];
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<LanguageDefinition> All { get; }

    public LanguageDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public LanguageDefinition? ForPath(string path) =>
        All.FirstOrDefault(language => language.Extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)));
}
