using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Events;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.FileSystem.Storage.Sqlite;
using WebIde.FileSystem.UnitTests.Files;
using WebIde.FileSystem.UnitTests.Grpc;
using WebIde.ServiceDefaults.Authorization;
using WebIde.ServiceDefaults.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Events;

/// <summary>
/// Who pays for a workspace's bytes follows identity's events: the creator from
/// WorkspaceCreated, a member made owner, an owner demoted or removed from MembershipChanged.
/// </summary>
public sealed class OwnershipConsumersTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private SqliteStoreFolder _folder = null!;
    private IFileStore _store = null!;
    private ConsumerTestBus<MembershipChangedConsumer> _bus = null!;

    private ITestHarness Harness => _bus.Harness;

    [SetUp]
    public async Task StartAsync()
    {
        _folder = new SqliteStoreFolder("filesystem");
        _store = new SqliteFileStore(
            new SqliteDatabase(_folder.Create(), [SqliteFileStore.Schema]), Options.Create(new FileLimits()), TimeProvider.System, new StoredContent(FileSystemInstance.Cipher));
        _bus = await ConsumerTestBus<MembershipChangedConsumer>.StartAsync(services => services
            .AddSingleton<IWorkspaceRoles>(new FixedRoles())
            .AddSingleton(_store));
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _bus.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Drop();
    }

    [Test]
    public async Task AMemberMadeOwnerPaysOnceTheCreatorIsDemoted()
    {
        var (workspace, creator, member) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var created = DateTimeOffset.UtcNow;
        await _store.AddOwnerAsync(workspace, creator, created, None);
        await _store.WriteFileAsync(new FileWrite(workspace, "a.txt", "12345"u8.ToArray(), WriteCondition.None, member), None);

        await PublishAsync(new MembershipChanged(workspace, member, "owner", created.AddMinutes(1)), 1);
        var whileBoth = await _store.GetAccountUsageAsync(member, None);
        await PublishAsync(new MembershipChanged(workspace, creator, "editor", created.AddMinutes(2)), 2);

        Assert.Multiple(async () =>
        {
            Assert.That(whileBoth, Is.EqualTo(new AccountUsage(0, 0)), "the creator pays while an owner");
            Assert.That(await _store.GetAccountUsageAsync(member, None), Is.EqualTo(new AccountUsage(5, 1)));
            Assert.That(await _store.GetAccountUsageAsync(creator, None), Is.EqualTo(new AccountUsage(0, 0)));
        });
    }

    [Test]
    public async Task ARemovedOwnerStopsPaying()
    {
        var (workspace, creator, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await _store.AddOwnerAsync(workspace, creator, DateTimeOffset.UtcNow, None);
        await _store.AddOwnerAsync(workspace, other, DateTimeOffset.UtcNow.AddMinutes(1), None);
        await _store.WriteFileAsync(new FileWrite(workspace, "a.txt", "123"u8.ToArray(), WriteCondition.None, creator), None);

        await PublishAsync(new MembershipChanged(workspace, creator, null, DateTimeOffset.UtcNow), 1);

        Assert.That(await _store.GetAccountUsageAsync(creator, None), Is.EqualTo(new AccountUsage(0, 0)));
        Assert.That(await _store.GetAccountUsageAsync(other, None), Is.EqualTo(new AccountUsage(3, 1)));
    }

    private async Task PublishAsync(MembershipChanged change, int consumedSoFar)
    {
        await Harness.Bus.Publish(change);
        // Consumed.Any waits for the first; later ones are counted until the harness's own deadline.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Harness.GetConsumerHarness<MembershipChangedConsumer>().Consumed.Select<MembershipChanged>(deadline.Token).Count() < consumedSoFar)
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
