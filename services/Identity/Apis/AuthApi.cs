using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WebIde.Identity.Accounts;
using WebIde.Identity.Storage;
using WebIde.Identity.Tokens;
using WebIde.ServiceDefaults.Authentication;

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
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", RefreshAsync).WithName("Refresh").WithSummary("Spends a refresh token (from the body, else the cookie) for a new pair.")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        // Not RequireAuthorization: a browser signs out with its cookie, whose access token may have expired.
        auth.MapPost("/logout", LogoutAsync).WithName("Logout").WithSummary("Ends the caller's session (the bearer token's, else the cookie's).")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        auth.MapPost("/ticket", IssueTicketAsync).RequireAuthorization().WithName("SocketTicket").WithSummary("A single-use ticket that opens one WebSocket instead of the access token.")
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
        user = user with { PasswordHash = await passwords.HashAsync(request.Password!, cancellationToken) };
        if (!await users.TryCreateAsync(user, cancellationToken))
        {
            return TypedResults.Problem($"The username '{username}' is taken.", statusCode: StatusCodes.Status409Conflict, title: "Username taken");
        }

        return TypedResults.Created("/api/auth/me", UserResponse.From(user));
    }

    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext context, IUserStore users, PasswordVerifier passwords, LoginThrottle throttle, SessionService sessions, CancellationToken cancellationToken)
    {
        var useCookie = request.RefreshTokenCookie == true;
        if (useCookie && CrossSiteRequestGuard.Refusal(context.Request) is { } crossSite)
        {
            return crossSite;
        }

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

        return TypedResults.Ok(Answer(context, await sessions.StartAsync(user!, cancellationToken), useCookie));
    }

    /// <summary>The token in the body, as scripts send it; else the cookie's, as the web app keeps it.</summary>
    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest? request, HttpContext context, SessionService sessions, CancellationToken cancellationToken)
    {
        var refreshToken = request?.RefreshToken;
        var fromCookie = string.IsNullOrEmpty(refreshToken) && RefreshTokenCookie.Read(context.Request) is not null;
        if (fromCookie)
        {
            if (CrossSiteRequestGuard.Refusal(context.Request) is { } crossSite)
            {
                return crossSite;
            }
            refreshToken = RefreshTokenCookie.Read(context.Request);
        }

        var issued = string.IsNullOrEmpty(refreshToken) ? null : await sessions.RefreshAsync(refreshToken, cancellationToken);
        if (issued is null)
        {
            if (fromCookie)
            {
                // It will never work again: the browser need not keep sending it.
                RefreshTokenCookie.Clear(context);
            }
            return TypedResults.Problem("The refresh token is not valid.", statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed");
        }
        return TypedResults.Ok(Answer(context, issued, fromCookie));
    }

    /// <summary>The bearer token's session; without one, the session of the cookie's refresh token.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult, ChallengeHttpResult>> LogoutAsync(
        ClaimsPrincipal principal, HttpContext context, SessionService sessions, CancellationToken cancellationToken)
    {
        if (principal.Identity?.IsAuthenticated == true)
        {
            if (!Guid.TryParse(principal.FindFirstValue("sid"), out var sessionId))
            {
                return TypedResults.Problem("This token belongs to no session.", statusCode: StatusCodes.Status400BadRequest, title: "No session");
            }
            await sessions.EndAsync(sessionId, cancellationToken);
        }
        else if (RefreshTokenCookie.Read(context.Request) is { } refreshToken)
        {
            if (CrossSiteRequestGuard.Refusal(context.Request) is { } crossSite)
            {
                return crossSite;
            }
            // An unknown or expired cookie signs out all the same: there is no session left to end.
            await sessions.EndByRefreshTokenAsync(refreshToken, cancellationToken);
        }
        else
        {
            // As RequireAuthorization would answer: 401 with the bearer challenge.
            return TypedResults.Challenge();
        }

        RefreshTokenCookie.Clear(context);
        return TypedResults.NoContent();
    }

    /// <summary>docs/api.md §7: a ticket that stands for the caller's own access token, once, for a few seconds.</summary>
    private static async Task<Results<Ok<SocketTicketResponse>, ProblemHttpResult>> IssueTicketAsync(
        HttpRequest request, SocketTickets tickets, IOptions<TokenOptions> options)
    {
        // Authorization passed, so the header holds the bearer token it verified.
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem("Send the access token as Authorization: Bearer.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var lifetime = options.Value.SocketTicketLifetime;
        var ticket = await tickets.IssueAsync(header["Bearer ".Length..].Trim(), lifetime);
        return TypedResults.Ok(new SocketTicketResponse(ticket, (int)lifetime.TotalSeconds));
    }

    /// <summary>The pair as the caller keeps it: whole in the body, or its refresh token in the cookie.</summary>
    private static TokenPair Answer(HttpContext context, IssuedTokens issued, bool useCookie)
    {
        if (!useCookie)
        {
            return issued.Pair;
        }
        RefreshTokenCookie.Set(context, issued.Pair.RefreshToken!, issued.RefreshTokenExpiresAt);
        return issued.Pair with { RefreshToken = null };
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
