using System.Text.RegularExpressions;

namespace WebIde.Identity.Accounts;

/// <summary>The rules for usernames and passwords (docs/api.md §1).</summary>
public static partial class Credentials
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;
    public const int MaxDisplayNameLength = 64;

    /// <summary>Case-insensitive: stored as typed, compared in lower case.</summary>
    public static string Normalize(string username) => username.ToLowerInvariant();

    public static string? ValidateUsername(string? username) =>
        username is not null && UsernamePattern().IsMatch(username)
            ? null
            : "A username is 3 to 32 characters: letters a-z, digits, '.', '_' or '-'.";

    public static string? ValidatePassword(string? password) =>
        password is { Length: >= MinPasswordLength and <= MaxPasswordLength }
            ? null
            : $"A password is {MinPasswordLength} to {MaxPasswordLength} characters.";

    public static string? ValidateDisplayName(string? displayName) =>
        displayName is null || (displayName.Trim().Length is > 0 and <= MaxDisplayNameLength && !displayName.Any(char.IsControl))
            ? null
            : $"A display name is 1 to {MaxDisplayNameLength} characters without control characters.";

    [GeneratedRegex("^[a-zA-Z0-9._-]{3,32}$")]
    private static partial Regex UsernamePattern();
}
