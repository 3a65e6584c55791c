using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.ServiceDefaults.Authentication;

/// <summary>
/// Single-use WebSocket tickets (docs/api.md §7): identity issues one for the caller's access
/// token, the gateway redeems it once as a socket opens and forwards the token as a bearer
/// header, so no token travels in a URL (nor into the logs of a proxy in front). The one place
/// that knows how a ticket is kept in Redis.
/// </summary>
/// <remarks>
/// Redis holds a ticket under the SHA-256 of the ticket and holds the token sealed (AES-GCM, as <see cref="ContentCipher"/> seals)
/// with a key derived from the ticket: Redis, or its persistence on disk, alone yields neither a
/// ticket nor a token. A ticket lives at most its lifetime and is deleted as it is read
/// (GETDEL), so of two sockets racing with one ticket only one opens.
/// </remarks>
public sealed class SocketTickets(IConnectionMultiplexer redis)
{
    /// <summary>The query parameter a socket carries its ticket in.</summary>
    public const string QueryParameter = "ticket";

    /// <summary>docs/api.md §7: a ticket lives at most this long.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(30);

    private const string KeyPrefix = "webide:socket-ticket:";
    // Every ticket's key is its own, so one id serves them all.
    private const uint TicketKeyId = 1;
    private static readonly ContentPurpose SealedToken = new("gateway/socket-ticket-token");
    private static readonly byte[] SealInfo = Encoding.UTF8.GetBytes("webide socket ticket seal");

    // 256 random bits, base64url: 43 characters. Anything longer is no ticket of ours.
    private const int MaxTicketLength = 64;

    /// <summary>A new ticket that stands for <paramref name="accessToken"/> for <paramref name="lifetime"/> (at most <see cref="MaxLifetime"/>).</summary>
    public async Task<string> IssueAsync(string accessToken, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxLifetime);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var ticket = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await redis.GetDatabase().StringSetAsync(Key(ticket), Seal(ticket, accessToken), lifetime);
        return ticket;
    }

    /// <summary>The access token the ticket stands for, once; null when it is unknown, spent or expired.</summary>
    public async Task<string?> RedeemAsync(string ticket)
    {
        if (ticket.Length is 0 or > MaxTicketLength)
        {
            return null;
        }

        var sealedToken = await redis.GetDatabase().StringGetDeleteAsync(Key(ticket));
        return sealedToken.IsNull ? null : Open(ticket, (byte[])sealedToken!);
    }

    private static RedisKey Key(string ticket) =>
        KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ticket)));

    /// <summary>
    /// A cipher whose one key is derived from the ticket: the platform's one sealing format
    /// (<see cref="ContentCipher"/>), under a key that exists only while someone holds the ticket.
    /// </summary>
    private static ContentCipher TicketCipher(string ticket) => new(KeyRing.Of(new ContentKey(
        TicketKeyId,
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(ticket), ContentKey.Bytes, salt: [], info: SealInfo),
        DateTimeOffset.UnixEpoch)));

    private static byte[] Seal(string ticket, string accessToken) =>
        TicketCipher(ticket).Seal(SealedToken, Encoding.UTF8.GetBytes(accessToken));

    private static string? Open(string ticket, byte[] sealedToken)
    {
        try
        {
            return Encoding.UTF8.GetString(TicketCipher(ticket).Open(SealedToken, sealedToken));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
