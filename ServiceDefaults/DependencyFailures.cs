using Grpc.Core;
using Microsoft.Data.Sqlite;
using MongoDB.Driver;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which failures mean that something the request needs is down (Redis, the store, the
/// broker, another service) rather than that the code is wrong: docs/api.md §0 answers those
/// <c>503</c> with <c>Retry-After</c>, so clients wait and retry instead of reporting a bug.
/// </summary>
public static class DependencyFailures
{
    /// <summary>Seconds a client is asked to wait before it tries again.</summary>
    public const int RetryAfterSeconds = 5;

    // SQLITE_BUSY and SQLITE_LOCKED: another writer held the database past the busy timeout.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool IsDependencyDown(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current switch
            {
                RedisConnectionException or RedisTimeoutException => true,
                RedisServerException server => IsRedisFull(server) || IsRedisLoading(server),
                MongoConnectionException or MongoExecutionTimeoutException => true,
                RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded,
                BrokenCircuitException or TimeoutRejectedException or BusyException => true,
                HttpRequestException { StatusCode: null } => true,
                SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
                _ => false,
            })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Redis at its <c>maxmemory</c>: with the <c>noeviction</c> policy it refuses writes
    /// ("OOM command not allowed…") rather than drop anything; it frees up as keys expire.
    /// </summary>
    public static bool IsRedisFull(RedisServerException exception) =>
        exception.Message.StartsWith("OOM ", StringComparison.Ordinal);

    /// <summary>
    /// Redis just (re)started and still reading its append-only file ("LOADING Redis is loading the dataset in
    /// memory"): it refuses every command for those seconds, then serves all it acknowledged before.
    /// </summary>
    public static bool IsRedisLoading(RedisServerException exception) =>
        exception.Message.StartsWith("LOADING ", StringComparison.Ordinal);
}
