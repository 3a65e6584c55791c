using StackExchange.Redis;

namespace WebIde.FileSystem.Events;

/// <summary>
/// Which filesystem instance drains the change log to the bus: the one holding this lease in Redis, taken
/// when free and extended by its holder at every round. Two instances draining the same log would each
/// publish every change (the log is marked published only after the broker confirmed), so every event
/// would reach its consumers twice. When the holder dies, another takes the lease once it expires.
/// </summary>
/// <remarks>
/// Without Redis an instance publishes anyway: events are at least once (consumers go by their sequence
/// numbers), and a duplicate while Redis is down costs less than changes waiting for it.
/// </remarks>
public sealed class PublisherLease(IConnectionMultiplexer redis, ILogger<PublisherLease> logger)
{
    public static readonly RedisKey Key = "webide:fs-change-publisher";

    /// <summary>How long a holder that stopped renewing keeps it: a few of the publisher's polls.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    // Takes the lease when free, or extends it when this holder has it.
    private const string HoldScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public string Holder { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>True when this instance holds the lease now (or Redis cannot say).</summary>
    public async Task<bool> HoldAsync()
    {
        try
        {
            var held = await redis.GetDatabase().ScriptEvaluateAsync(HoldScript, [Key], [Holder, (long)Lifetime.TotalMilliseconds]);
            return (long)held == 1;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not reach Redis for the change publisher's lease; publishing anyway");
            return true;
        }
    }

    /// <summary>Lets another instance take over at once (a clean stop), instead of after <see cref="Lifetime"/>.</summary>
    public async Task ReleaseAsync()
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [Key], [Holder]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogDebug(exception, "Could not release the change publisher's lease; it expires by itself");
        }
    }
}
