using System.Security.Cryptography;
using StackExchange.Redis;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.FileSystem.Files;

/// <summary>
/// Hot files' content in the shared Redis, so every instance serves repeated reads without
/// touching the store and sees every other instance's writes.
/// </summary>
/// <remarks>
/// Two rules keep a write that returned from being followed by a stale read, on any instance:
/// <list type="bullet">
/// <item>Each entry carries the workspace change sequence that produced it and is replaced
/// only by a newer one (the same sequence is accepted over a tombstone only: what the store
/// holds at a change's sequence is that change's own result).</item>
/// <item>A per-workspace generation counter is bumped by every writer, in the same script
/// that stores its new content or tombstones. A reader that missed notes the generation
/// before it reads the store and may fill the entry only if the generation has not moved:
/// so a read from before a write cannot land after it even when the writer's entry has
/// since expired or been evicted.</item>
/// </list>
/// Writers update the cache after their commit and before they answer. When Redis cannot
/// be reached, reads go to the store.
/// <para>
/// Content is sealed in Redis (docs/api.md §7): Redis persists what it holds to disk. An entry
/// that does not open (changed in Redis, or from before encryption at rest) is a miss.
/// </para>
/// </remarks>
public sealed class FileCache(IConnectionMultiplexer redis, ContentCipher cipher, ILogger<FileCache> logger)
{
    private static readonly ContentPurpose CachedContent = new("filesystem/cached-file");

    public const int MaxCachedBytes = 256 * 1024;

    public static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(10);

    // Far longer than any store read, so a counter cannot expire and restart under one.
    private static readonly TimeSpan GenerationLifetime = TimeSpan.FromDays(1);

    // @generation: "" for a writer (bumps the counter), else what the reader saw ("nil" for none).
    private static readonly LuaScript Store = LuaScript.Prepare("""
        if @generation ~= '' then
            local seen = redis.call('GET', @generationKey) or 'nil'
            if seen ~= @generation then
                return 0
            end
        else
            redis.call('INCR', @generationKey)
            redis.call('PEXPIRE', @generationKey, @generationLifetime)
        end
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

    public static RedisKey GenerationKey(Guid workspaceId) => $"webide:fs:generation:{{{workspaceId}}}";

    /// <summary>
    /// The cached file, or null on a miss, a tombstone or an unreachable Redis; with the
    /// workspace's generation, which a reader that goes on to the store hands back to
    /// <see cref="OfferReadAsync"/>.
    /// </summary>
    public async Task<(StoredFile? File, string? Generation)> GetAsync(Guid workspaceId, string path)
    {
        try
        {
            var database = redis.GetDatabase();
            var generation = database.StringGetAsync(GenerationKey(workspaceId));
            var fields = await database.HashGetAsync(Key(workspaceId, path), ["s", "d", "v", "m", "c"]);
            var seen = (await generation) is { IsNull: false } value ? value.ToString() : "nil";
            if (fields[0].IsNull || fields[1] == "1" || fields[4].IsNull)
            {
                return (null, seen);
            }

            byte[] content;
            try
            {
                content = cipher.Open(CachedContent, (byte[])fields[4]!);
            }
            catch (CryptographicException exception)
            {
                logger.LogWarning(exception, "The cached {Path} of {WorkspaceId} does not open; reading it from the store", path, workspaceId);
                return (null, seen);
            }
            return (new StoredFile(path, content, (long)fields[2], new DateTimeOffset((long)fields[3], TimeSpan.Zero), (long)fields[0]), seen);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Redis is unavailable; reading {WorkspaceId} from the store", workspaceId);
            return (null, null);
        }
    }

    /// <summary>Offers a file a reader read from the store; kept only if no writer came in between and nothing newer is cached.</summary>
    public Task OfferReadAsync(Guid workspaceId, StoredFile file, string generation) =>
        file.Content.Length > MaxCachedBytes
            ? Task.CompletedTask
            : RunAsync(workspaceId, file.Path, generation, file.Sequence, tombstone: false, file.Version, file.ModifiedAt.UtcTicks, file.Content);

    /// <summary>Stores a file just written (after its commit); files too big to keep leave a tombstone.</summary>
    public Task StoreWrittenAsync(Guid workspaceId, StoredFile file) =>
        file.Content.Length > MaxCachedBytes
            ? MarkStaleAsync(workspaceId, [file.Path], file.Sequence)
            : RunAsync(workspaceId, file.Path, "", file.Sequence, tombstone: false, file.Version, file.ModifiedAt.UtcTicks, file.Content);

    /// <summary>Records that what these paths held before change <paramref name="sequence"/> is no longer true.</summary>
    public async Task MarkStaleAsync(Guid workspaceId, IEnumerable<string> paths, long sequence)
    {
        foreach (var chunk in paths.Chunk(64))
        {
            await Task.WhenAll(chunk.Select(path => RunAsync(workspaceId, path, "", sequence, tombstone: true, 0, 0, null)));
        }
    }

    private async Task RunAsync(Guid workspaceId, string path, string generation, long sequence, bool tombstone, long version, long modified, byte[]? content)
    {
        try
        {
            var storedContent = content is null ? [] : cipher.Seal(CachedContent, content);
            await redis.GetDatabase().ScriptEvaluateAsync(Store, new
            {
                key = Key(workspaceId, path),
                generationKey = GenerationKey(workspaceId),
                generation,
                generationLifetime = (long)GenerationLifetime.TotalMilliseconds,
                sequence,
                tombstone = tombstone ? "1" : "0",
                version,
                modified,
                content = storedContent,
                lifetime = (long)EntryLifetime.TotalMilliseconds,
            });
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not update the cached {Path} of {WorkspaceId}", path, workspaceId);
        }
    }
}
