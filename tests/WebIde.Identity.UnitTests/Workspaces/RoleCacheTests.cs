using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;

using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>The Redis role cache against a real redis-server (ignored where there is none).</summary>
public sealed class RoleCacheTests
{
    private LocalRedis? _redis;
    private GatedWorkspaceStore _store = null!;
    private RoleCache _cache = null!;
    private Guid _workspaceId;
    private Guid _owner;
    private Guid _viewer;

    [OneTimeSetUp]
    public async Task StartRedisAsync() => _redis = await LocalRedis.TryStartAsync();

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [SetUp]
    public async Task SeedAsync()
    {
        if (_redis is null)
        {
            Assert.Ignore("No redis-server on the PATH.");
        }
        _store = new GatedWorkspaceStore(new FakeWorkspaceStore(new FakeUserStore(), new FakeOutboxStore(new Journal())));
        _cache = new RoleCache(_redis.Connection, _store, NullLogger<RoleCache>.Instance);
        _workspaceId = Guid.NewGuid();
        _owner = Guid.NewGuid();
        _viewer = Guid.NewGuid();
        await _store.CreateAsync(new Workspace(_workspaceId, "w", DateTimeOffset.UtcNow), _owner, CancellationToken.None);
        await _store.SetRoleAsync(_workspaceId, _viewer, WorkspaceRole.Viewer, CancellationToken.None);
    }

    private IDatabase Redis => _redis!.Connection.GetDatabase();

    [Test]
    public async Task AMissReadsTheStoreAndCachesTheRoleForFiveMinutes()
    {
        Assert.That(await _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None), Is.EqualTo(WorkspaceRole.Viewer));
        Assert.That(await _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None), Is.EqualTo(WorkspaceRole.Viewer));

        Assert.That(_store.RoleReads, Is.EqualTo(1));
        var key = RoleCache.EntryKey(_workspaceId, _viewer);
        Assert.That((string?)await Redis.StringGetAsync(key), Is.EqualTo("viewer"));
        Assert.That(await Redis.KeyTimeToLiveAsync(key), Is.GreaterThan(TimeSpan.FromMinutes(4.9)).And.LessThanOrEqualTo(TimeSpan.FromMinutes(5)));
    }

    [Test]
    public async Task NonMembersAndUnknownWorkspacesAreCachedAsNone()
    {
        var stranger = Guid.NewGuid();
        var unknown = Guid.NewGuid();

        Assert.That(await _cache.GetRoleAsync(_workspaceId, stranger, CancellationToken.None), Is.Null);
        Assert.That(await _cache.GetRoleAsync(unknown, stranger, CancellationToken.None), Is.Null);
        Assert.That(await _cache.GetRoleAsync(_workspaceId, stranger, CancellationToken.None), Is.Null);

        Assert.That(_store.RoleReads, Is.EqualTo(2));
        Assert.That((string?)await Redis.StringGetAsync(RoleCache.EntryKey(_workspaceId, stranger)), Is.EqualTo("none"));
    }

    [Test]
    public async Task AnInvalidatedEntryIsReadAgainFromTheStore()
    {
        await _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None);
        await _store.SetRoleAsync(_workspaceId, _viewer, WorkspaceRole.Editor, CancellationToken.None);
        Assert.That(await _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None), Is.EqualTo(WorkspaceRole.Viewer), "cached");

        await _cache.InvalidateAsync(_workspaceId, _viewer, CancellationToken.None);

        Assert.That(await _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None), Is.EqualTo(WorkspaceRole.Editor));
    }

    [Test]
    public async Task InvalidatingAWorkspaceDropsEveryEntryOfItAndNoOther()
    {
        var other = Guid.NewGuid();
        await _store.CreateAsync(new Workspace(other, "other", DateTimeOffset.UtcNow), _owner, CancellationToken.None);
        foreach (var user in new[] { _owner, _viewer, Guid.NewGuid() })
        {
            await _cache.GetRoleAsync(_workspaceId, user, CancellationToken.None);
        }
        await _cache.GetRoleAsync(other, _owner, CancellationToken.None);

        await _cache.InvalidateWorkspaceAsync(_workspaceId, CancellationToken.None);

        Assert.That(await Redis.KeyExistsAsync(RoleCache.EntryKey(_workspaceId, _owner)), Is.False);
        Assert.That(await Redis.KeyExistsAsync(RoleCache.EntryKey(_workspaceId, _viewer)), Is.False);
        Assert.That(await Redis.KeyExistsAsync(RoleCache.UsersKey(_workspaceId)), Is.False);
        Assert.That(await Redis.KeyExistsAsync(RoleCache.EntryKey(other, _owner)), Is.True);
    }

    [Test]
    public async Task ARoleReadBeforeAChangeIsNotCachedAfterItsInvalidation()
    {
        var held = _store.HoldNextRoleRead();
        var read = _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None);
        await _store.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The viewer is removed while the miss holds the old answer.
        await _store.RemoveMemberAsync(_workspaceId, _viewer, CancellationToken.None);
        await _cache.InvalidateAsync(_workspaceId, _viewer, CancellationToken.None);
        held.SetResult();

        Assert.That(await read, Is.EqualTo(WorkspaceRole.Viewer), "the racing read answers what it read");
        Assert.That(await Redis.KeyExistsAsync(RoleCache.EntryKey(_workspaceId, _viewer)), Is.False, "but does not cache it");
        Assert.That(await _cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task AWorkspaceDeletedDuringAMissIsNotCachedAsItWas()
    {
        var held = _store.HoldNextRoleRead();
        var read = _cache.GetRoleAsync(_workspaceId, _owner, CancellationToken.None);
        await _store.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await _store.DeleteAsync(_workspaceId, CancellationToken.None);
        await _cache.InvalidateWorkspaceAsync(_workspaceId, CancellationToken.None);
        held.SetResult();
        await read;

        Assert.That(await Redis.KeyExistsAsync(RoleCache.EntryKey(_workspaceId, _owner)), Is.False);
    }

    [Test]
    public async Task WithoutRedisRolesAreReadFromTheStoreAndInvalidationsFail()
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:1,abortConnect=false,connectTimeout=200,connectRetry=0");
        // Commands fail at once instead of waiting in the backlog for a connection.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync(options);
        var cache = new RoleCache(unreachable, _store, NullLogger<RoleCache>.Instance);

        Assert.That(await cache.GetRoleAsync(_workspaceId, _viewer, CancellationToken.None), Is.EqualTo(WorkspaceRole.Viewer));
        Assert.That(() => cache.InvalidateAsync(_workspaceId, _viewer, CancellationToken.None), Throws.InstanceOf<RedisConnectionException>());
    }
}
