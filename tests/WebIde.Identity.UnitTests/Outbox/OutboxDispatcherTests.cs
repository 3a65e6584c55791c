using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebIde.Contracts.Events;
using WebIde.Identity.Outbox;
using WebIde.Identity.Storage;
using WebIde.Identity.UnitTests.Storage;
using WebIde.Identity.UnitTests.Workspaces;

namespace WebIde.Identity.UnitTests.Outbox;

/// <summary>
/// The dispatcher over an outbox in memory (and, for a restart, over a real SQLite file), with a
/// broker that can be down and a clock that moves only when the test moves it.
/// </summary>
public sealed class OutboxDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly OutboxOptions _options = new();
    private Journal _journal = null!;
    private FakeOutboxStore _outbox = null!;
    private RecordingPublisher _broker = null!;
    private FakeTimeProvider _time = null!;
    private OutboxSignal _signal = null!;

    [SetUp]
    public void SetUp()
    {
        _journal = new Journal();
        _outbox = new FakeOutboxStore(_journal);
        _broker = new RecordingPublisher(_journal);
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        _signal = new OutboxSignal();
    }

    [Test]
    public async Task WhileTheBrokerIsDownTheSameEventIsRetriedAndOnceItIsUpAllGoOutInOrder()
    {
        var workspaceId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        object[] events =
        [
            new WorkspaceCreated(workspaceId, "Project", userId, _time.GetUtcNow()),
            new MembershipChanged(workspaceId, Guid.NewGuid(), "editor", _time.GetUtcNow()),
            new MembershipChanged(workspaceId, Guid.NewGuid(), null, _time.GetUtcNow()),
            new WorkspaceDeleted(workspaceId, userId, _time.GetUtcNow()),
        ];
        foreach (var integrationEvent in events)
        {
            _outbox.Append(Message(integrationEvent));
        }
        _broker.Down = true;

        using var dispatcher = NewDispatcher(_outbox);
        await dispatcher.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => _broker.Attempts >= 4);

        Assert.That(_broker.Published, Is.Empty);
        Assert.That(_outbox.Events, Is.EqualTo(events), "nothing is lost while the broker is down");
        Assert.That(dispatcher.Pending, Is.EqualTo(4));

        _broker.Down = false;
        await AdvanceUntilAsync(() => _outbox.Events.Count == 0);

        Assert.That(_broker.Published, Is.EqualTo(events), "in the order they were written, each once");
        Assert.That(dispatcher.Pending, Is.Zero);
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task ANewEventGoesOutAtOnceWithoutWaitingForAPoll()
    {
        using var dispatcher = NewDispatcher(_outbox);
        await dispatcher.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _outbox.LeaseHolder is null);

        var changed = new MembershipChanged(Guid.NewGuid(), Guid.NewGuid(), null, _time.GetUtcNow());
        _outbox.Append(Message(changed));
        _signal.Wake();

        // The clock does not move: a poll never comes.
        await WaitUntilAsync(() => _broker.Published.Count == 1);
        Assert.That(_broker.Published, Is.EqualTo(new object[] { changed }));
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task WhileAnotherInstanceHoldsTheLeaseNothingIsPublishedHere()
    {
        var created = new WorkspaceCreated(Guid.NewGuid(), "Project", Guid.NewGuid(), _time.GetUtcNow());
        _outbox.Append(Message(created));
        Assert.That(await _outbox.TryLeaseAsync("another-instance", _time.GetUtcNow(), _time.GetUtcNow() + _options.Lease, CancellationToken.None), Is.True);

        using var dispatcher = NewDispatcher(_outbox);
        await dispatcher.StartAsync(CancellationToken.None);
        // Polls come and go while the other instance's lease runs.
        for (var poll = 0; poll < 5; poll++)
        {
            _time.Advance(_options.Poll);
            await Task.Delay(20);
        }
        Assert.That(_broker.Attempts, Is.Zero);

        // The other instance died: its lease runs out and this one takes over.
        await AdvanceUntilAsync(() => _broker.Published.Count == 1);
        Assert.That(_broker.Published, Is.EqualTo(new object[] { created }));
        await dispatcher.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task AnEventWrittenBeforeARestartIsPublishedAfterIt()
    {
        await using var store = new SqliteHarness();
        await store.StartAsync();
        var workspace = new Workspace(Guid.NewGuid(), "Project", _time.GetUtcNow());
        var ownerId = Guid.NewGuid();
        var created = new WorkspaceCreated(workspace.Id, workspace.Name, ownerId, workspace.CreatedAt);
        await store.Workspaces.CreateAsync(workspace, ownerId, CancellationToken.None, Message(created));

        _broker.Down = true;
        using (var before = NewDispatcher(store.Outbox))
        {
            await before.StartAsync(CancellationToken.None);
            await AdvanceUntilAsync(() => _broker.Attempts >= 2);
            await before.StopAsync(CancellationToken.None);
        }
        Assert.That(await store.Outbox.CountPendingAsync(CancellationToken.None), Is.EqualTo(1));

        _broker.Down = false;
        using var after = NewDispatcher(store.Outbox);
        await after.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => _broker.Published.Count == 1);

        Assert.That(_broker.Published, Is.EqualTo(new object[] { created }));
        await WaitUntilAsync(() => store.Outbox.CountPendingAsync(CancellationToken.None).Result == 0);
        await after.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task ThePendingEventsAreAMetric()
    {
        _outbox.Append(Message(new WorkspaceCreated(Guid.NewGuid(), "Project", Guid.NewGuid(), _time.GetUtcNow())));
        _outbox.Append(Message(new WorkspaceCreated(Guid.NewGuid(), "Other", Guid.NewGuid(), _time.GetUtcNow())));
        _broker.Down = true;
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = meters.GetRequiredService<IMeterFactory>();
        long? measured = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OutboxDispatcher.MeterName && instrument.Name == "webide.identity.outbox.pending")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => measured = value);
        listener.Start();

        using var dispatcher = NewDispatcher(_outbox, meterFactory);
        await dispatcher.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => _broker.Attempts >= 1);
        listener.RecordObservableInstruments();

        Assert.That(measured, Is.EqualTo(2));
        await dispatcher.StopAsync(CancellationToken.None);
    }

    private OutboxMessage Message(object integrationEvent) => integrationEvent switch
    {
        WorkspaceCreated created => IdentityEvents.ToMessage(created, _time.GetUtcNow()),
        WorkspaceDeleted deleted => IdentityEvents.ToMessage(deleted, _time.GetUtcNow()),
        MembershipChanged changed => IdentityEvents.ToMessage(changed, _time.GetUtcNow()),
        _ => throw new ArgumentOutOfRangeException(nameof(integrationEvent)),
    };

    private OutboxDispatcher NewDispatcher(IOutboxStore outbox, IMeterFactory? meters = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IPublishEndpoint>(_broker)
            .BuildServiceProvider();
        return new OutboxDispatcher(
            outbox,
            _signal,
            new OutboxIntentCheck(new FakeWorkspaceStore(new FakeUserStore(), _outbox)),
            services.GetRequiredService<IServiceScopeFactory>(),
            _time,
            Options.Create(_options),
            meters ?? new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(),
            NullLogger<OutboxDispatcher>.Instance);
    }

    /// <summary>Moves the clock in small steps, letting the dispatcher run between them, until <paramref name="condition"/> holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the dispatcher did not get there");
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the dispatcher did not get there");
            await Task.Delay(5);
        }
    }
}
