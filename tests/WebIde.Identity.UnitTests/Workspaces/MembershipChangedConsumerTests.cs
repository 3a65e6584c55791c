using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebIde.Contracts.Events;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;
using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Workspaces;

public sealed class MembershipChangedConsumerTests
{
    private Journal _journal = null!;
    private ConsumerTestBus<MembershipChangedConsumer> _bus = null!;
    private MemoryRoleCache _cache = null!;
    private FakeWorkspaceStore _workspaces = null!;

    private ITestHarness Harness => _bus.Harness;

    [SetUp]
    public async Task StartBusAsync()
    {
        // NUnit keeps one fixture instance for all its cases: everything is new per test.
        _journal = new Journal();
        _workspaces = new FakeWorkspaceStore(new FakeUserStore(), new FakeOutboxStore(new Journal()));
        _cache = new MemoryRoleCache(_workspaces, _journal);
        _bus = await ConsumerTestBus<MembershipChangedConsumer>.StartAsync(services => services
            .AddSingleton<IRoleCache>(_cache));
    }

    [TearDown]
    public async Task StopBusAsync() => await _bus.DisposeAsync();

    [TestCase("viewer")]
    [TestCase(null)]
    public async Task AChangeMadeElsewhereInvalidatesTheCachedRole(string? role)
    {
        var workspaceId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        await _workspaces.CreateAsync(new Workspace(workspaceId, "w", DateTimeOffset.UtcNow), userId, CancellationToken.None);
        await _cache.GetRoleAsync(workspaceId, userId, CancellationToken.None);
        Assert.That(_cache.Holds(workspaceId, userId), Is.True);

        await Harness.Bus.Publish(new MembershipChanged(workspaceId, userId, role, DateTimeOffset.UtcNow));

        Assert.That(await Harness.GetConsumerHarness<MembershipChangedConsumer>().Consumed.Any<MembershipChanged>(), Is.True);
        Assert.That(_cache.Holds(workspaceId, userId), Is.False);
        Assert.That(_journal.Entries, Is.EqualTo(new[] { $"invalidate {workspaceId} {userId}" }));
    }
}
