using StackExchange.Redis;
using WebIde.Collaboration.Documents;

namespace WebIde.Collaboration.Presence;

/// <summary>
/// Who has which document open, across instances: a Redis hash per document of each peer's
/// JSON, tagged with the instance that serves it. An instance that dies stops renewing its
/// liveness key, and its peers are dropped (with a <c>peer-left</c>) by the next join.
/// </summary>
public sealed class PresenceBoard(IConnectionMultiplexer redis, InstanceIdentity instance)
{
    public static readonly TimeSpan InstanceLifetime = TimeSpan.FromSeconds(10);

    public async Task PutAsync(DocumentKey key, string clientId, string peerJson) =>
        await redis.GetDatabase().HashSetAsync(Peers(key), clientId, instance.Id + "|" + peerJson);

    public async Task RemoveAsync(DocumentKey key, string clientId) =>
        await redis.GetDatabase().HashDeleteAsync(Peers(key), clientId);

    /// <summary>The peers of live instances; those of dead ones are removed and returned apart, to be announced as gone.</summary>
    public async Task<(IReadOnlyList<string> Live, IReadOnlyList<string> GoneClientIds)> ListAsync(DocumentKey key)
    {
        var database = redis.GetDatabase();
        var entries = await database.HashGetAllAsync(Peers(key));
        var live = new List<string>();
        var gone = new List<string>();
        var alive = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var value = (string)entry.Value!;
            var bar = value.IndexOf('|', StringComparison.Ordinal);
            var owner = value[..bar];
            if (!alive.TryGetValue(owner, out var isAlive))
            {
                isAlive = owner == instance.Id || await database.KeyExistsAsync(InstanceKey(owner));
                alive[owner] = isAlive;
            }
            if (isAlive)
            {
                live.Add(value[(bar + 1)..]);
            }
            else
            {
                gone.Add((string)entry.Name!);
            }
        }
        if (gone.Count > 0)
        {
            await database.HashDeleteAsync(Peers(key), [.. gone.Select(clientId => (RedisValue)clientId)]);
        }
        return (live, gone);
    }

    public Task RenewInstanceAsync() =>
        redis.GetDatabase().StringSetAsync(InstanceKey(instance.Id), "1", InstanceLifetime);

    public Task DropAsync(DocumentKey key) => redis.GetDatabase().KeyDeleteAsync(Peers(key));

    private static RedisKey Peers(DocumentKey key) => $"collab:{{{key.Id}}}:peers";

    private static RedisKey InstanceKey(string id) => $"collab:instance:{id}";
}
