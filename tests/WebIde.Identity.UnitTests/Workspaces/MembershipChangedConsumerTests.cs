using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebIde.Contracts.Events;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;

namespace WebIde.Identity.UnitTests.Workspaces;

public sealed class MembershipChangedConsumerTests
{
    private Journal _journal = null!;
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;
    private MemoryRoleCache _cache = null!;
    private FakeWorkspaceStore _workspaces = null!;

    [SetUp]
    public async Task StartBusAsync()
    {
        // NUnit keeps one fixture instance for all its cases: everything is new per test.
        _journal = new Journal();
        _workspaces = new FakeWorkspaceStore(new FakeUserStore());
        _cache = new MemoryRoleCache(_workspaces, _journal);
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IRoleCache>(_cache)
            .AddMassTransitTestHarness(bus => bus.AddConsumer<MembershipChangedConsumer>())
            .BuildServiceProvider(validateScopes: true);
        _harness = _services.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    [TearDown]
    public async Task StopBusAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
    }

    [TestCase("viewer")]
    [TestCase(null)]
    public async Task AChangeMadeElsewhereInvalidatesTheCachedRole(string? role)
    {
        var workspaceId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        await _workspaces.CreateAsync(new Workspace(workspaceId, "w", DateTimeOffset.UtcNow), userId, CancellationToken.None);
        await _cache.GetRoleAsync(workspaceId, userId, CancellationToken.None);
        Assert.That(_cache.Holds(workspaceId, userId), Is.True);

        await _harness.Bus.Publish(new MembershipChanged(workspaceId, userId, role, DateTimeOffset.UtcNow));

        Assert.That(await _harness.GetConsumerHarness<MembershipChangedConsumer>().Consumed.Any<MembershipChanged>(), Is.True);
        Assert.That(_cache.Holds(workspaceId, userId), Is.False);
        Assert.That(_journal.Entries, Is.EqualTo(new[] { $"invalidate {workspaceId} {userId}" }));
    }
}
