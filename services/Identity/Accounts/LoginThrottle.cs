using StackExchange.Redis;

namespace WebIde.Identity.Accounts;

/// <summary>
/// At most <see cref="MaxFailures"/> failed logins a minute per username and per client address,
/// counted in Redis so that every identity instance sees the same counts.
/// </summary>
public sealed class LoginThrottle(IConnectionMultiplexer redis)
{
    public const int MaxFailures = 10;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait when either count is spent; null when a login may be tried.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string normalizedUsername, string clientAddress)
    {
        var database = redis.GetDatabase();
        TimeSpan? wait = null;
        foreach (var key in Keys(normalizedUsername, clientAddress))
        {
            var failures = (long?)await database.StringGetAsync(key) ?? 0;
            if (failures >= MaxFailures)
            {
                var remaining = await database.KeyTimeToLiveAsync(key) ?? Window;
                wait = wait is null || remaining > wait ? remaining : wait;
            }
        }
        return wait;
    }

    public async Task RecordFailureAsync(string normalizedUsername, string clientAddress)
    {
        var database = redis.GetDatabase();
        foreach (var key in Keys(normalizedUsername, clientAddress))
        {
            if (await database.StringIncrementAsync(key) == 1)
            {
                await database.KeyExpireAsync(key, Window);
            }
        }
    }

    private static string[] Keys(string normalizedUsername, string clientAddress) =>
        [$"webide:login-failures:user:{normalizedUsername}", $"webide:login-failures:address:{clientAddress}"];
}
