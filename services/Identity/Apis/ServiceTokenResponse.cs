using System.Text.Json.Serialization;

namespace WebIde.Identity.Apis;

/// <summary>The token response of RFC 6749 §5.1, with its field names.</summary>
public sealed record ServiceTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);
