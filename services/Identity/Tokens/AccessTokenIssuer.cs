using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Storage;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.Tokens;

/// <summary>Signs the short-lived access tokens every service verifies from the published keys.</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => options.Value.AccessTokenLifetime;

    public Task<string> IssueAsync(UserAccount user, Guid sessionId, CancellationToken cancellationToken) =>
        IssueAsync(new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
            [JwtRegisteredClaimNames.Sid] = sessionId.ToString(),
            [JwtRegisteredClaimNames.Name] = user.Username,
        }, cancellationToken);

    /// <summary>
    /// A token for a service calling another service: no user, no session, and the scopes that
    /// say what it may do, as one space-separated <c>scope</c> claim (none without scopes).
    /// User tokens never get that claim.
    /// </summary>
    public Task<string> IssueForServiceAsync(string clientId, IReadOnlySet<string> scopes, CancellationToken cancellationToken)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = ClaimsPrincipalExtensions.ServiceSubjectPrefix + clientId,
            [JwtRegisteredClaimNames.Name] = clientId,
            ["client_id"] = clientId,
        };
        if (scopes.Count > 0)
        {
            claims[ServiceScopes.ClaimType] = ServiceScopes.Format(scopes);
        }
        return IssueAsync(claims, cancellationToken);
    }

    private async Task<string> IssueAsync(Dictionary<string, object> claims, CancellationToken cancellationToken)
    {
        claims[JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N");
        var key = await keys.GetSigningKeyAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthenticationExtensions.Issuer,
            Audience = AuthenticationExtensions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = key.Credentials,
            Claims = claims,
        });
    }
}
