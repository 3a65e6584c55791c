using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.ServiceDefaults.UnitTests.Authorization;

/// <summary>
/// The watcher on a clock that moves only when the test moves it: nothing is asked or closed
/// before an interval has passed, and within one interval after a change the connection hears of it.
/// </summary>
public sealed class MembershipWatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Guid _workspace = Guid.NewGuid();
    private readonly Guid _alice = Guid.NewGuid();
    private readonly Guid _bob = Guid.NewGuid();
    private ScriptedRoles _identity = null!;
    private FakeTimeProvider _time = null!;
    private MembershipWatcher _watcher = null!;
    private ConcurrentQueue<(string Connection, WorkspaceRole Role)> _heard = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _identity = new ScriptedRoles();
        _time = new FakeTimeProvider();
        _heard = new ConcurrentQueue<(string, WorkspaceRole)>();
        _watcher = new MembershipWatcher(_identity, _time, NullLogger<MembershipWatcher>.Instance);
        await _watcher.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _watcher.StopAsync(CancellationToken.None);
        _watcher.Dispose();
    }

    [Test]
    public async Task ARemovedMemberIsToldWithinOneIntervalAndNotBefore()
    {
        _identity.Set(_workspace, _alice, WorkspaceRole.Editor);
        using var watch = Watch("alice's socket", _alice, WorkspaceRole.Editor);
        await PassIntervalAsync();
        Assert.That(_heard, Is.Empty, "nothing changed");

        _identity.Set(_workspace, _alice, WorkspaceRole.None);
        _time.Advance(MembershipWatcher.Interval - TimeSpan.FromMilliseconds(1));
        await Task.Delay(20);
        Assert.That(_heard, Is.Empty, "not before the interval is over");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => _heard.Count == 1);
        Assert.That(_heard, Is.EqualTo(new[] { ("alice's socket", WorkspaceRole.None) }));

        await PassIntervalAsync();
        Assert.That(_heard, Has.Count.EqualTo(1), "told once");
    }

    [Test]
    public async Task ADemotedEditorsConnectionsHearTheNewRole()
    {
        _identity.Set(_workspace, _alice, WorkspaceRole.Editor);
        using var socket = Watch("socket", _alice, WorkspaceRole.Editor);
        using var stream = Watch("stream", _alice, WorkspaceRole.Editor);

        _identity.Set(_workspace, _alice, WorkspaceRole.Viewer);
        await PassIntervalAsync();

        Assert.That(_heard, Is.EquivalentTo(new[] { ("socket", WorkspaceRole.Viewer), ("stream", WorkspaceRole.Viewer) }));
    }

    [Test]
    public async Task EachPairIsAskedOncePerIntervalHoweverManyConnectionsItHas()
    {
        _identity.Set(_workspace, _alice, WorkspaceRole.Editor);
        _identity.Set(_workspace, _bob, WorkspaceRole.Viewer);
        using var first = Watch("alice 1", _alice, WorkspaceRole.Editor);
        using var second = Watch("alice 2", _alice, WorkspaceRole.Editor);
        using var third = Watch("alice 3", _alice, WorkspaceRole.Editor);
        using var bobs = Watch("bob", _bob, WorkspaceRole.Viewer);

        await PassIntervalAsync();

        Assert.That(_identity.Asked, Is.EquivalentTo(new[] { (_workspace, _alice), (_workspace, _bob) }));
        Assert.That(_watcher.Pairs, Is.EqualTo(2));
    }

    [Test]
    public async Task AnEndedConnectionIsNoLongerAskedAbout()
    {
        _identity.Set(_workspace, _alice, WorkspaceRole.Editor);
        var watch = Watch("socket", _alice, WorkspaceRole.Editor);
        watch.Dispose();
        Assert.That(_watcher.Pairs, Is.Zero);

        _identity.Set(_workspace, _alice, WorkspaceRole.None);
        await PassIntervalAsync();

        Assert.That(_identity.Asked, Is.Empty);
        Assert.That(_heard, Is.Empty);
    }

    [Test]
    public async Task WhileIdentityIsUnreachableConnectionsAreKept()
    {
        _identity.Set(_workspace, _alice, WorkspaceRole.Editor);
        using var watch = Watch("socket", _alice, WorkspaceRole.Editor);
        _identity.Unreachable = true;

        await PassIntervalAsync();
        await PassIntervalAsync();
        Assert.That(_heard, Is.Empty);

        _identity.Set(_workspace, _alice, WorkspaceRole.None);
        _identity.Unreachable = false;
        await PassIntervalAsync();
        Assert.That(_heard, Is.EqualTo(new[] { ("socket", WorkspaceRole.None) }), "acts once identity answers");
    }

    [Test]
    public async Task AFailingCallbackDoesNotStopTheOthers()
    {
        _identity.Set(_workspace, _alice, WorkspaceRole.Editor);
        using var failing = _watcher.Watch(_workspace, _alice, WorkspaceRole.Editor, _ => throw new InvalidOperationException("boom"));
        using var watch = Watch("socket", _alice, WorkspaceRole.Editor);

        _identity.Set(_workspace, _alice, WorkspaceRole.None);
        await PassIntervalAsync();

        Assert.That(_heard, Is.EqualTo(new[] { ("socket", WorkspaceRole.None) }));
    }

    private MembershipWatch Watch(string connection, Guid userId, WorkspaceRole admitted) =>
        _watcher.Watch(_workspace, userId, admitted, role =>
        {
            _heard.Enqueue((connection, role));
            return Task.CompletedTask;
        });

    /// <summary>Moves the clock one interval and waits until the round it starts is over.</summary>
    private async Task PassIntervalAsync()
    {
        var asked = _identity.Asked.Count;
        var pairs = _watcher.Pairs;
        _time.Advance(MembershipWatcher.Interval);
        await WaitUntilAsync(() => _identity.Asked.Count >= asked + pairs);
        // The round's callbacks run after its last question; one more turn lets them finish.
        await Task.Delay(20);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the watcher did not get there");
            await Task.Delay(5);
        }
    }
}
