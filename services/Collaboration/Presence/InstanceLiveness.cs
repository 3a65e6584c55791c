using StackExchange.Redis;

namespace WebIde.Collaboration.Presence;

/// <summary>
/// Which collaboration instances are alive: each renews a key that lapses by itself when the
/// instance dies, so another knows it may take over the documents the dead one left unwritten.
/// </summary>
public sealed class InstanceLiveness(IConnectionMultiplexer redis, InstanceIdentity instance)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    public Task RenewAsync() => redis.GetDatabase().StringSetAsync(Key(instance.Id), "1", Lifetime);

    public Task<bool> IsAliveAsync(string instanceId) =>
        instanceId == instance.Id ? Task.FromResult(true) : redis.GetDatabase().KeyExistsAsync(Key(instanceId));

    private static RedisKey Key(string id) => $"collab:instance:{id}";
}
