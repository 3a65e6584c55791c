using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WebIde.Identity.Tokens;

namespace WebIde.Identity.UnitTests.Tokens;

/// <summary>Validates a token the way a service does, against keys a ring publishes.</summary>
public static class TokenCheck
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static async Task<TokenValidationResult> ValidateAsync(string token, IEnumerable<SigningKey> keys, TimeProvider time, bool checkLifetime = true) =>
        await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "webide",
            ValidAudience = "webide",
            ValidAlgorithms = ["ES256"],
            IssuerSigningKeys = [.. keys.Select(key => key.VerificationKey)],
            ValidateLifetime = checkLifetime,
            // On the test's clock, to the second (the validator would read the machine's).
            LifetimeValidator = checkLifetime ? (notBefore, expires, _, _) => OnTime(notBefore, expires, time) : null,
        });

    private static bool OnTime(DateTime? notBefore, DateTime? expires, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return (notBefore is null || notBefore <= now) && expires is not null && now < expires;
    }
}
