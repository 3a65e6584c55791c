using StackExchange.Redis;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Workspaces;

/// <summary>
/// Roles cached in the shared Redis for <see cref="EntryLifetime"/>, so that every identity
/// instance sees one cache and an invalidation by any of them holds for all.
/// </summary>
/// <remarks>
/// <para>Keys (the <c>{workspace}</c> part is a Redis hash tag: a workspace's keys share one
/// cluster slot, so they can be read and written together atomically):</para>
/// <list type="bullet">
/// <item><c>webide:role:{ws}:user</c> — <c>owner</c>, <c>editor</c>, <c>viewer</c> or <c>none</c>
/// (non-members are cached too: they are most of what a probe for foreign workspaces asks).</item>
/// <item><c>webide:role-users:{ws}</c> — the set of users with an entry, so a deleted workspace's
/// entries are found exactly, without SCAN walking the whole keyspace (of every node in a
/// cluster) under the delete request.</item>
/// <item><c>webide:role-generation:{ws}</c> — a counter every invalidation bumps. A miss reads it
/// with the entry, reads the store, and writes the entry only if the counter did not move:
/// otherwise a read from just before a change could be cached just after its invalidation and
/// keep a removed member in for minutes.</item>
/// </list>
/// <para>When Redis cannot be reached, reads fall back to the store; invalidations throw, so
/// their callers decide (the API logs and goes on, the event consumer is retried).</para>
/// </remarks>
public sealed class RoleCache(IConnectionMultiplexer redis, IWorkspaceStore workspaces, ILogger<RoleCache> logger) : IRoleCache
{
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(5);

    // Far longer than any store read: a counter that expired and restarted could match a stale read's.
    private static readonly TimeSpan GenerationLifetime = TimeSpan.FromDays(1);

    private const string NotAMember = "none";

    public static RedisKey EntryKey(Guid workspaceId, Guid userId) => $"webide:role:{{{workspaceId}}}:{userId}";

    public static RedisKey UsersKey(Guid workspaceId) => $"webide:role-users:{{{workspaceId}}}";

    public static RedisKey GenerationKey(Guid workspaceId) => $"webide:role-generation:{{{workspaceId}}}";

    public async Task<WorkspaceRole?> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        RedisValue[] cached;
        try
        {
            cached = await database.StringGetAsync([EntryKey(workspaceId, userId), GenerationKey(workspaceId)]);
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning(exception, "Redis is unavailable; reading the role from the store");
            return await workspaces.FindRoleAsync(workspaceId, userId, cancellationToken);
        }

        if (TryParseEntry(cached[0], out var role))
        {
            return role;
        }

        role = await workspaces.FindRoleAsync(workspaceId, userId, cancellationToken);
        await TryFillAsync(database, workspaceId, userId, role, cached[1]);
        return role;
    }

    public async Task InvalidateAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        var bumped = BumpGenerationAsync(transaction, workspaceId);
        var deleted = transaction.KeyDeleteAsync(EntryKey(workspaceId, userId));
        var unlisted = transaction.SetRemoveAsync(UsersKey(workspaceId), userId.ToString());
        await transaction.ExecuteAsync();
        await Task.WhenAll(bumped, deleted, unlisted);
    }

    public async Task InvalidateWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        // The counter first: a fill that has not written yet will not; one that has is in the set.
        var transaction = database.CreateTransaction();
        var bumped = BumpGenerationAsync(transaction, workspaceId);
        await transaction.ExecuteAsync();
        await bumped;

        var users = await database.SetMembersAsync(UsersKey(workspaceId));
        var keys = users
            .Select(user => Guid.TryParse(user.ToString(), out var id) ? id : (Guid?)null)
            .OfType<Guid>()
            .Select(userId => EntryKey(workspaceId, userId))
            .Append(UsersKey(workspaceId))
            .ToArray();
        await database.KeyDeleteAsync(keys);
    }

    private static Task BumpGenerationAsync(ITransaction transaction, Guid workspaceId) =>
        Task.WhenAll(
            transaction.StringIncrementAsync(GenerationKey(workspaceId)),
            transaction.KeyExpireAsync(GenerationKey(workspaceId), GenerationLifetime));

    private async Task TryFillAsync(IDatabase database, Guid workspaceId, Guid userId, WorkspaceRole? role, RedisValue generationSeen)
    {
        var transaction = database.CreateTransaction();
        transaction.AddCondition(generationSeen.IsNull
            ? Condition.KeyNotExists(GenerationKey(workspaceId))
            : Condition.StringEqual(GenerationKey(workspaceId), generationSeen));
        var writes = Task.WhenAll(
            transaction.StringSetAsync(EntryKey(workspaceId, userId), role?.ToName() ?? NotAMember, EntryLifetime),
            transaction.SetAddAsync(UsersKey(workspaceId), userId.ToString()),
            // The set outlives every entry it lists: each fill pushes its expiry past its own entry's.
            transaction.KeyExpireAsync(UsersKey(workspaceId), EntryLifetime));
        try
        {
            if (await transaction.ExecuteAsync())
            {
                await writes;
            }
            // Not committed: an invalidation came in between; the next read fills from fresher data.
        }
        catch (Exception exception) when (IsRedisFailure(exception))
        {
            logger.LogWarning(exception, "Redis is unavailable; the role is not cached");
        }
    }

    private static bool TryParseEntry(RedisValue entry, out WorkspaceRole? role)
    {
        role = null;
        if (entry.IsNull)
        {
            return false;
        }
        if (entry == NotAMember)
        {
            return true;
        }
        if (WorkspaceRoles.TryParse(entry.ToString(), out var parsed))
        {
            role = parsed;
            return true;
        }
        // Something else wrote there: treat as a miss and overwrite it from the store.
        return false;
    }

    private static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or RedisTimeoutException;
}
