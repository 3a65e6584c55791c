using System.ComponentModel.DataAnnotations;

namespace WebIde.Identity.Tokens;

public sealed class TokenOptions
{
    public const string Section = "Tokens";

    /// <summary>At most 15 minutes (docs/api.md §1).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:15:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a WebSocket ticket can be used (docs/api.md §7: at most 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan SocketTicketLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a session lasts without signing in again.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How often a new signing key is made. Each key signs from the end of its publish-ahead
    /// until its successor's ends, so for this period less the publish-ahead.
    /// </summary>
    public TimeSpan KeyRotationPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A new key is published this long before it signs, so every verifier's cached key set
    /// (refreshed hourly) already holds it when the first token it signed arrives.
    /// </summary>
    public TimeSpan KeyPublishAhead { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// On a fresh install, how long an instance that made the first key waits before it reads the keys
    /// again and serves: instances started together may each have made a first key before seeing the
    /// other's, and only once each has read all of them do they sign with the same one (the oldest).
    /// </summary>
    public TimeSpan FirstKeySettle { get; set; } = TimeSpan.FromSeconds(2);
}
