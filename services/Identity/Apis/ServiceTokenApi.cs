using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WebIde.Identity.Tokens;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.Apis;

/// <summary>
/// OAuth 2.0 client credentials for service-to-service calls. Only services reach it: it is
/// outside <c>/api</c>, which is all the gateway forwards.
/// </summary>
public static class ServiceTokenApi
{
    public static IEndpointRouteBuilder MapServiceTokenApi(this IEndpointRouteBuilder app)
    {
        // Not public, so not in the API document either.
        app.MapPost("/connect/token", IssueAsync).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<ServiceTokenResponse>, ProblemHttpResult>> IssueAsync(
        [FromForm(Name = "grant_type")] string? grantType,
        [FromForm(Name = "client_id")] string? clientId,
        [FromForm(Name = "client_secret")] string? clientSecret,
        [FromForm(Name = "scope")] string? scope,
        IOptions<ServiceClientOptions> clients,
        AccessTokenIssuer tokens,
        CancellationToken cancellationToken)
    {
        if (grantType != "client_credentials")
        {
            return Refuse(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only the client_credentials grant is supported.");
        }

        if (clientId is null || clientSecret is null
            || !clients.Value.Secrets.TryGetValue(clientId, out var expected)
            || !SameSecret(expected, clientSecret))
        {
            return Refuse(StatusCodes.Status401Unauthorized, "invalid_client", "Unknown client or wrong secret.");
        }

        // Without a scope field the client gets every scope it is granted; with one, the subset it names.
        var granted = ServiceClientScopes.For(clientId);
        var requested = ServiceScopes.Parse(scope);
        if (requested.FirstOrDefault(name => !granted.Contains(name)) is { } refused)
        {
            return Refuse(StatusCodes.Status400BadRequest, "invalid_scope", $"The scope '{refused}' is unknown or not granted to this client.");
        }

        var scopes = string.IsNullOrWhiteSpace(scope) ? granted : requested;
        var token = await tokens.IssueForServiceAsync(clientId, scopes, cancellationToken);
        return TypedResults.Ok(new ServiceTokenResponse(token, "Bearer", (int)tokens.Lifetime.TotalSeconds, ServiceScopes.Format(scopes)));
    }

    /// <summary>Compares digests in constant time, so the comparison leaks neither content nor length.</summary>
    private static bool SameSecret(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    private static ProblemHttpResult Refuse(int status, string error, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: "Token refused", extensions: new Dictionary<string, object?> { ["error"] = error });
}
