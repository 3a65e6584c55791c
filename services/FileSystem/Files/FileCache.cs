using StackExchange.Redis;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Files;

/// <summary>
/// Hot files' content in the shared Redis, so every instance serves repeated reads without
/// touching the store and sees every other instance's writes.
/// </summary>
/// <remarks>
/// Each entry carries the workspace change sequence that produced it, and is replaced only
/// by a newer one (<see cref="StoreIfNewer"/>, one atomic script). Writers, after their
/// commit and before they answer, store the new content or a tombstone for every path the
/// change made stale; readers that missed store what they read from the store. A reader
/// that read just before a write and stores just after it carries an older sequence and is
/// refused, so a write that returned is never followed by a stale read, on any instance.
/// The same sequence is accepted over a tombstone only: what the store holds at a change's
/// sequence is that change's own result. When Redis cannot be reached, reads go to the store.
/// </remarks>
public sealed class FileCache(IConnectionMultiplexer redis, ILogger<FileCache> logger)
{
    public const int MaxCachedBytes = 256 * 1024;

    public static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(10);

    // KEYS[1] the entry; ARGV: sequence, tombstone ("1"/"0"), version, modified-at ticks, content, lifetime ms.
    private static readonly LuaScript StoreIfNewer = LuaScript.Prepare("""
        local current = redis.call('HMGET', @key, 's', 'd')
        if current[1] then
            local held = tonumber(current[1])
            local incoming = tonumber(@sequence)
            if held > incoming or (held == incoming and current[2] ~= '1') then
                return 0
            end
        end
        redis.call('DEL', @key)
        if @tombstone == '1' then
            redis.call('HSET', @key, 's', @sequence, 'd', '1')
        else
            redis.call('HSET', @key, 's', @sequence, 'v', @version, 'm', @modified, 'c', @content)
        end
        redis.call('PEXPIRE', @key, @lifetime)
        return 1
        """);

    public static RedisKey Key(Guid workspaceId, string path) => $"webide:fs:file:{{{workspaceId}}}:{path}";

    /// <summary>The cached file, or null on a miss, a tombstone or an unreachable Redis.</summary>
    public async Task<StoredFile?> GetAsync(Guid workspaceId, string path)
    {
        try
        {
            var fields = await redis.GetDatabase().HashGetAsync(Key(workspaceId, path), ["s", "d", "v", "m", "c"]);
            if (fields[0].IsNull || fields[1] == "1" || fields[4].IsNull)
            {
                return null;
            }

            return new StoredFile(path, (byte[])fields[4]!, (long)fields[2], new DateTimeOffset((long)fields[3], TimeSpan.Zero), (long)fields[0]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Redis is unavailable; reading {WorkspaceId} from the store", workspaceId);
            return null;
        }
    }

    /// <summary>Offers a file read from the store or just written; kept only if nothing newer is cached.</summary>
    public Task OfferAsync(Guid workspaceId, StoredFile file) =>
        file.Content.Length > MaxCachedBytes
            ? MarkStaleAsync(workspaceId, [file.Path], file.Sequence)
            : RunAsync(workspaceId, file.Path, file.Sequence, tombstone: false, file.Version, file.ModifiedAt.UtcTicks, file.Content);

    /// <summary>Records that what these paths held before change <paramref name="sequence"/> is no longer true.</summary>
    public async Task MarkStaleAsync(Guid workspaceId, IEnumerable<string> paths, long sequence)
    {
        foreach (var chunk in paths.Chunk(64))
        {
            await Task.WhenAll(chunk.Select(path => RunAsync(workspaceId, path, sequence, tombstone: true, 0, 0, [])));
        }
    }

    private async Task RunAsync(Guid workspaceId, string path, long sequence, bool tombstone, long version, long modified, byte[] content)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(StoreIfNewer, new
            {
                key = Key(workspaceId, path),
                sequence,
                tombstone = tombstone ? "1" : "0",
                version,
                modified,
                content,
                lifetime = (long)EntryLifetime.TotalMilliseconds,
            });
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not update the cached {Path} of {WorkspaceId}", path, workspaceId);
        }
    }
}
