using System.Collections.Concurrent;
using WebIde.FileSystem.Events;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.UnitTests.Events;

/// <summary>
/// The publisher's batch: publishes overlap, except that a change of a path waits for the
/// earlier changes of that path (or of a directory around it).
/// </summary>
public sealed class ChangeOrderTests
{
    private static readonly Guid Workspace = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Test]
    public async Task ChangesOfDifferentFilesArePublishedTogether()
    {
        var bus = new HeldBus();
        FileChange[] changes = [Changed(1, "a.txt"), Changed(2, "b.txt"), Changed(3, "src/c.txt"), Changed(4, "a.txt", Guid.NewGuid())];

        var publishing = ChangeOrder.PublishAsync(changes, bus.PublishAsync);

        Assert.That(bus.Started, Is.EquivalentTo(new long[] { 1, 2, 3, 4 }), "all in flight at once");
        Assert.That(publishing.IsCompleted, Is.False);
        bus.Confirm(1, 2, 3, 4);
        await publishing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AChangeWaitsForTheEarlierChangesOfItsPath()
    {
        var bus = new HeldBus();
        FileChange[] changes = [Changed(1, "a.txt"), Changed(2, "b.txt"), Deleted(3, "a.txt"), Changed(4, "a.txt"), Changed(5, "c.txt")];

        var publishing = ChangeOrder.PublishAsync(changes, bus.PublishAsync);

        Assert.That(bus.Started, Is.EquivalentTo(new long[] { 1, 2, 5 }));
        bus.Confirm(2, 5);
        await Task.Delay(50);
        Assert.That(bus.Started, Is.EquivalentTo(new long[] { 1, 2, 5 }), "a.txt's deletion waits for its write");
        bus.Confirm(1);
        await bus.StartedAsync(3);
        await Task.Delay(50);
        Assert.That(bus.Started, Has.No.Member(4L), "the new a.txt waits for the deletion");
        bus.Confirm(3);
        await bus.StartedAsync(4);
        bus.Confirm(4);
        await publishing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void ChangesTouchWithinOneWorkspaceAtOnePathOrADirectoryAroundIt()
    {
        var moved = new FileChange(Workspace, 9, ChangeType.Moved, EntryType.Directory, "new", "old", null, null, Guid.Empty, At);

        Assert.Multiple(() =>
        {
            Assert.That(ChangeOrder.Touches(Changed(1, "a.txt"), Changed(2, "a.txt")), Is.True);
            Assert.That(ChangeOrder.Touches(Deleted(1, "src"), Changed(2, "src/deep/a.txt")), Is.True, "a file inside a deleted directory");
            Assert.That(ChangeOrder.Touches(Changed(1, "src/a.txt"), Deleted(2, "src")), Is.True);
            Assert.That(ChangeOrder.Touches(moved, Changed(2, "old/a.txt")), Is.True, "a move's source");
            Assert.That(ChangeOrder.Touches(Changed(1, "new/a.txt"), moved), Is.True, "a move's target");
            Assert.That(ChangeOrder.Touches(Deleted(1, "src"), Changed(2, "src-x/a.txt")), Is.False);
            Assert.That(ChangeOrder.Touches(Deleted(1, "src"), Changed(2, "src.txt")), Is.False);
            Assert.That(ChangeOrder.Touches(moved, Changed(2, "older/a.txt")), Is.False);
            Assert.That(ChangeOrder.Touches(Changed(1, "a.txt"), Changed(2, "a.txt", Guid.NewGuid())), Is.False, "another workspace");
        });
    }

    [Test]
    public void AFailureFailsTheBatchAndHoldsBackTheLaterChangesOfItsPath()
    {
        var bus = new HeldBus();
        FileChange[] changes = [Changed(1, "a.txt"), Changed(2, "a.txt"), Changed(3, "b.txt")];

        var publishing = ChangeOrder.PublishAsync(changes, bus.PublishAsync);
        bus.Fail(1);
        bus.Confirm(3);

        Assert.ThrowsAsync<InvalidOperationException>(() => publishing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(bus.Started, Is.EquivalentTo(new long[] { 1, 3 }), "a.txt's second change is not published after its first failed");
    }

    private static FileChange Changed(long sequence, string path, Guid? workspaceId = null) =>
        new(workspaceId ?? Workspace, sequence, ChangeType.Changed, EntryType.File, path, null, sequence, 1, Guid.Empty, At);

    private static FileChange Deleted(long sequence, string path) =>
        new(Workspace, sequence, ChangeType.Deleted, EntryType.File, path, null, null, null, Guid.Empty, At);

    /// <summary>A bus whose publishes stay unconfirmed until the test confirms (or fails) them, by sequence.</summary>
    private sealed class HeldBus
    {
        private readonly ConcurrentDictionary<long, TaskCompletionSource> _publishes = new();

        public IReadOnlyCollection<long> Started => _publishes.Keys.ToList();

        public Task PublishAsync(FileChange change) => Held(change.Sequence).Task;

        public void Confirm(params long[] sequences)
        {
            foreach (var sequence in sequences)
            {
                Held(sequence).SetResult();
            }
        }

        public void Fail(long sequence) => Held(sequence).SetException(new InvalidOperationException("The broker refused it."));

        public async Task StartedAsync(long sequence)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!_publishes.ContainsKey(sequence))
            {
                await Task.Delay(5, deadline.Token);
            }
        }

        private TaskCompletionSource Held(long sequence) =>
            _publishes.GetOrAdd(sequence, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
