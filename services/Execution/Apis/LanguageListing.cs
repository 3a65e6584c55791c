using WebIde.Execution.Languages;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Apis;

/// <summary>The catalog's languages with the runner image's versions: the one list REST and gRPC both answer with.</summary>
public sealed class LanguageListing(LanguageCatalog catalog, LanguageVersions versions)
{
    public async Task<IReadOnlyList<LanguageResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var known = await versions.AllAsync(cancellationToken);
        return [.. catalog.All.Select(language => new LanguageResponse(
            language.Name,
            language.DisplayName,
            known.GetValueOrDefault(language.Name, LanguageVersions.Unknown),
            language.Extensions,
            language.EditorLanguage,
            language.Compiled,
            language.LanguageServer is not null))];
    }
}
