using System.Text.Json.Serialization;

namespace WebIde.Identity.Accounts;

/// <summary>
/// What login and refresh answer (docs/api.md §1). A browser that keeps its refresh token in
/// the cookie gets the pair without it.
/// </summary>
public sealed record TokenPair(
    string AccessToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    string TokenType,
    int ExpiresIn);
