using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace WebIde.ServiceDefaults.Authentication;

/// <summary>
/// Single-use WebSocket tickets (docs/api.md §7): identity issues one for the caller's access
/// token, the gateway redeems it once as a socket opens and forwards the token as a bearer
/// header, so no token travels in a URL (nor into the logs of a proxy in front). The one place
/// that knows how a ticket is kept in Redis.
/// </summary>
/// <remarks>
/// Redis holds a ticket under the SHA-256 of the ticket and holds the token sealed (AES-GCM)
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
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
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

    private static byte[] SealKey(string ticket) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(ticket), 32, salt: [], info: SealInfo);

    private static byte[] Seal(string ticket, string accessToken)
    {
        var plain = Encoding.UTF8.GetBytes(accessToken);
        var sealedToken = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedToken.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(SealKey(ticket), TagBytes);
        aes.Encrypt(nonce, plain, sealedToken.AsSpan(NonceBytes, plain.Length), sealedToken.AsSpan(NonceBytes + plain.Length));
        return sealedToken;
    }

    private static string? Open(string ticket, byte[] sealedToken)
    {
        if (sealedToken.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var plain = new byte[sealedToken.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(SealKey(ticket), TagBytes);
        try
        {
            aes.Decrypt(sealedToken.AsSpan(0, NonceBytes), sealedToken.AsSpan(NonceBytes, plain.Length), sealedToken.AsSpan(NonceBytes + plain.Length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }
}
