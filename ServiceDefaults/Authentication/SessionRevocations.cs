using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace WebIde.ServiceDefaults.Authentication;

/// <summary>
/// Sessions ended before their access tokens expire (logout, refresh-token reuse). Identity
/// records one in Redis and announces it on a channel; every process keeps what it heard in
/// memory, so a revoked token is refused everywhere within moments, and asks Redis for what
/// it may have missed (a process that started after the announcement).
/// </summary>
public sealed class SessionRevocations(IConnectionMultiplexer redis, ILogger<SessionRevocations> logger) : BackgroundService
{
    private const string KeyPrefix = "webide:revoked-session:";
    private static readonly RedisChannel Channel = RedisChannel.Literal("webide:revoked-sessions");

    private readonly ConcurrentDictionary<string, DateTimeOffset> _heard = new();

    /// <summary>Raised for every revocation heard, so open WebSockets of that session can be closed.</summary>
    public event Action<string>? Revoked;

    /// <param name="keepFor">As long as any access token of the session can still be valid.</param>
    public async Task RevokeAsync(string sessionId, TimeSpan keepFor)
    {
        Remember(sessionId, keepFor);
        await redis.GetDatabase().StringSetAsync(KeyPrefix + sessionId, "1", keepFor);
        await redis.GetSubscriber().PublishAsync(Channel, sessionId);
    }

    public async ValueTask<bool> IsRevokedAsync(string sessionId)
    {
        if (_heard.TryGetValue(sessionId, out var until) && until > DateTimeOffset.UtcNow)
        {
            return true;
        }

        var database = redis.GetDatabase();
        var key = KeyPrefix + sessionId;
        if (!await database.KeyExistsAsync(key))
        {
            return false;
        }

        Remember(sessionId, await database.KeyTimeToLiveAsync(key) ?? TimeSpan.FromMinutes(16));
        return true;
    }

    /// <summary>
    /// Listens for revocations. Redis may be down when the process starts: the process starts
    /// anyway (every check still asks Redis) and keeps trying to subscribe.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
                queue.OnMessage(message =>
                {
                    var sessionId = message.Message.ToString();
                    Remember(sessionId, TimeSpan.FromMinutes(16));
                    logger.LogInformation("Session {SessionId} was revoked", sessionId);
                    Revoked?.Invoke(sessionId);
                });
                return;
            }
            // A stalled server answers with RedisTimeoutException: a TimeoutException, not a RedisException.
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                logger.LogWarning(exception, "Cannot subscribe to session revocations yet; trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void Remember(string sessionId, TimeSpan keepFor)
    {
        var now = DateTimeOffset.UtcNow;
        _heard[sessionId] = now + keepFor;
        foreach (var expired in _heard.Where(entry => entry.Value <= now))
        {
            _heard.TryRemove(expired);
        }
    }
}
