namespace WebIde.Identity.Storage;

/// <summary>
/// A registered user. <see cref="NormalizedUsername"/> (lower-case) is what makes usernames
/// unique case-insensitively; the store enforces it with a unique index or constraint.
/// </summary>
public sealed record UserAccount(
    Guid Id,
    string Username,
    string NormalizedUsername,
    string DisplayName,
    string PasswordHash,
    DateTimeOffset CreatedAt);
