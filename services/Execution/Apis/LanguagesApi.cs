namespace WebIde.Execution.Apis;

/// <summary><c>GET /api/languages</c>: what runs here, for anyone, token or not (docs/api.md §5).</summary>
public static class LanguagesApi
{
    public static IEndpointRouteBuilder MapLanguagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/languages", ListAsync).WithTags("Languages").AllowAnonymous()
            .WithName("ListLanguages").WithSummary("The languages that run here; no token needed.")
            .Produces<IReadOnlyList<LanguageResponse>>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> ListAsync(LanguageListing languages, CancellationToken cancellationToken) =>
        TypedResults.Ok(await languages.ListAsync(cancellationToken));
}
