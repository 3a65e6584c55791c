using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WebIde.Identity.Accounts;
using WebIde.Identity.Storage;
using WebIde.Identity.Tokens;

namespace WebIde.Identity.Apis;

/// <summary>docs/api.md §1: accounts, sessions and the keys that verify tokens.</summary>
public static class AuthApi
{
    private const string InvalidCredentials = "The username or password is wrong.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/register", RegisterAsync).WithName("Register").WithSummary("Creates an account.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapPost("/login", LoginAsync).WithName("Login").WithSummary("Starts a session: an access token and a refresh token.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", RefreshAsync).WithName("Refresh").WithSummary("Spends a refresh token for a new pair.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().WithName("Logout").WithSummary("Ends the caller's session.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapGet("/me", MeAsync).RequireAuthorization().WithName("Me").WithSummary("The caller's account.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapGet("/jwks", JwksAsync).WithName("Jwks").WithSummary("The public keys that verify access tokens.");
        // Where the other services' token validation finds the issuer and the key set; not public
        // (the gateway forwards only /api), so not in the API document.
        app.MapGet("/.well-known/openid-configuration", (HttpRequest request) => TypedResults.Ok(new Dictionary<string, object>
        {
            ["issuer"] = AuthenticationExtensions.Issuer,
            ["jwks_uri"] = $"{request.Scheme}://{request.Host}/api/auth/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        })).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Created<UserResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, IUserStore users, PasswordVerifier passwords, TimeProvider time, CancellationToken cancellationToken)
    {
        var invalid = Credentials.ValidateUsername(request.Username)
            ?? Credentials.ValidatePassword(request.Password)
            ?? Credentials.ValidateDisplayName(request.DisplayName);
        if (invalid is not null)
        {
            return TypedResults.Problem(invalid, statusCode: StatusCodes.Status400BadRequest, title: "Invalid registration");
        }

        var username = request.Username!;
        var user = new UserAccount(Guid.NewGuid(), username, Credentials.Normalize(username), request.DisplayName?.Trim() ?? username, "", time.GetUtcNow());
        user = user with { PasswordHash = passwords.Hash(request.Password!) };
        if (!await users.TryCreateAsync(user, cancellationToken))
        {
            return TypedResults.Problem($"The username '{username}' is taken.", statusCode: StatusCodes.Status409Conflict, title: "Username taken");
        }

        return TypedResults.Created("/api/auth/me", UserResponse.From(user));
    }

    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext context, IUserStore users, PasswordVerifier passwords, LoginThrottle throttle, SessionService sessions, CancellationToken cancellationToken)
    {
        var normalized = Credentials.Normalize(request.Username ?? "");
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.RetryAfterAsync(normalized, address) is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem("Too many failed logins; try again later.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts");
        }

        var user = Credentials.ValidateUsername(request.Username) is null
            ? await users.FindByNormalizedUsernameAsync(normalized, cancellationToken)
            : null;
        if (!await passwords.VerifyAsync(user, request.Password ?? "", cancellationToken))
        {
            await throttle.RecordFailureAsync(normalized, address);
            return TypedResults.Problem(InvalidCredentials, statusCode: StatusCodes.Status401Unauthorized, title: "Login failed");
        }

        return TypedResults.Ok(await sessions.StartAsync(user!, cancellationToken));
    }

    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        var pair = string.IsNullOrEmpty(request.RefreshToken) ? null : await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        return pair is null
            ? TypedResults.Problem("The refresh token is not valid.", statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed")
            : TypedResults.Ok(pair);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(
        ClaimsPrincipal principal, SessionService sessions, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.FindFirstValue("sid"), out var sessionId))
        {
            return TypedResults.Problem("This token belongs to no session.", statusCode: StatusCodes.Status400BadRequest, title: "No session");
        }

        await sessions.EndAsync(sessionId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> MeAsync(
        ClaimsPrincipal principal, IUserStore users, CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(principal.FindFirstValue("sub"), out var id) ? await users.FindByIdAsync(id, cancellationToken) : null;
        return user is null
            ? TypedResults.Problem("This token belongs to no user.", statusCode: StatusCodes.Status404NotFound, title: "Not Found")
            : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Ok<JsonWebKeySetResponse>> JwksAsync(SigningKeyRing keys, HttpContext context, CancellationToken cancellationToken)
    {
        // Short enough that a newly published key reaches caches well before it signs.
        context.Response.Headers.CacheControl = "public, max-age=300";
        var published = await keys.GetVerificationKeysAsync(cancellationToken);
        return TypedResults.Ok(new JsonWebKeySetResponse([.. published.Select(key => key.Publish())]));
    }
}
