using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Tokens;

/// <summary>Signs the short-lived access tokens every service verifies from the published keys.</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => options.Value.AccessTokenLifetime;

    public async Task<string> IssueAsync(UserAccount user, Guid sessionId, CancellationToken cancellationToken)
    {
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
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
                [JwtRegisteredClaimNames.Sid] = sessionId.ToString(),
                [JwtRegisteredClaimNames.Name] = user.Username,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
    }
}
