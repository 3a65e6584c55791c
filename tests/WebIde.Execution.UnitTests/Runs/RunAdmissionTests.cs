using Microsoft.Extensions.Options;
using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Runs;

public sealed class RunAdmissionTests
{
    // Long enough that no waiter here expires unless a test means it to.
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly Guid WorkspaceA = Guid.Parse("00000000-0000-4000-8000-00000000000a");
    private static readonly Guid WorkspaceB = Guid.Parse("00000000-0000-4000-8000-00000000000b");

    private readonly List<IAsyncDisposable> _held = [];

    [TearDown]
    public async Task ReleaseEverythingAsync()
    {
        foreach (var slot in _held)
        {
            await slot.DisposeAsync();
        }
        _held.Clear();
    }

    [Test]
    public async Task ACallerBeyondTheirLimitWaitsAndGetsInWhenOneOfTheirRunsEnds()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 2, MaxQueueWait = LongWait });
        var first = await EnterAsync(admission, Owner("alice"));
        await EnterAsync(admission, Owner("alice"));

        var third = admission.EnterAsync(Owner("alice"), CancellationToken.None);
        Assert.That(third.IsCompleted, Is.False, "a third run of the same caller waits");
        // Another caller is not held up by alice's runs.
        await EnterAsync(admission, Owner("bob"));
        Assert.That(third.IsCompleted, Is.False);

        await first.DisposeAsync();

        _held.Add(await third.WaitAsync(Deadline));
    }

    [Test]
    public async Task AWaitThatOutlastsTheQueueWaitIsRefusedWithRetryAfter()
    {
        var wait = TimeSpan.FromMilliseconds(200);
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueueWait = wait });
        await EnterAsync(admission, Owner("alice"));

        var refused = Assert.ThrowsAsync<RunRefusedException>(() => admission.EnterAsync(Owner("alice"), CancellationToken.None).WaitAsync(Deadline));

        Assert.That(refused!.RetryAfter, Is.EqualTo(wait));
    }

    [Test]
    public async Task ARunBeyondAFullQueueIsRefusedAtOnce()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueuedPerUser = 2, MaxQueueWait = LongWait });
        var running = await EnterAsync(admission, Owner("alice"));
        var waiting = new[] { admission.EnterAsync(Owner("alice"), CancellationToken.None), admission.EnterAsync(Owner("alice"), CancellationToken.None) };

        var beyond = admission.EnterAsync(Owner("alice"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(waiting.Select(task => task.IsCompleted), Is.All.False);
            Assert.That(beyond.IsFaulted, Is.True, "refused without waiting");
            Assert.That(beyond.Exception?.InnerException, Is.InstanceOf<RunRefusedException>());
            Assert.That(((RunRefusedException)beyond.Exception!.InnerException!).RetryAfter, Is.EqualTo(LongWait));
        }

        // Once the queue moves, there is room in it again.
        await running.DisposeAsync();
        var second = await waiting[0].WaitAsync(Deadline);
        var queuedAgain = admission.EnterAsync(Owner("alice"), CancellationToken.None);
        Assert.That(queuedAgain.IsFaulted, Is.False);
        await second.DisposeAsync();
        var nextIn = await Task.WhenAny(waiting[1], queuedAgain).WaitAsync(Deadline);
        await (await nextIn).DisposeAsync();
        _held.Add(await (nextIn == queuedAgain ? waiting[1] : queuedAgain).WaitAsync(Deadline));
    }

    [Test]
    public async Task WithNoQueueAFreeSlotIsStillTaken()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueuedPerUser = 0, MaxQueueWait = LongWait });

        await EnterAsync(admission, Owner("alice"));
        var beyond = admission.EnterAsync(Owner("alice"), CancellationToken.None);

        Assert.That(beyond.IsFaulted, Is.True, "with no queue, a run that would wait is refused at once");
    }

    [Test]
    public async Task AWorkspacesLimitHoldsAcrossCallers()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 4, MaxConcurrentPerWorkspace = 2, MaxQueueWait = LongWait });
        var alices = await EnterAsync(admission, Owner("alice", WorkspaceA));
        await EnterAsync(admission, Owner("bob", WorkspaceA));

        var carols = admission.EnterAsync(Owner("carol", WorkspaceA), CancellationToken.None);
        Assert.That(carols.IsCompleted, Is.False, "a third run in the workspace waits, whoever starts it");
        await EnterAsync(admission, Owner("carol", WorkspaceB));
        await EnterAsync(admission, Owner("carol"));
        Assert.That(carols.IsCompleted, Is.False);

        await alices.DisposeAsync();

        _held.Add(await carols.WaitAsync(Deadline));
    }

    [Test]
    public async Task TheInstancesLimitHoldsAcrossCallersAndWorkspaces()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentRuns = 2, MaxQueueWait = LongWait });
        var first = await EnterAsync(admission, Owner("alice", WorkspaceA));
        await EnterAsync(admission, Owner("bob", WorkspaceB));

        var third = admission.EnterAsync(Owner("carol"), CancellationToken.None);
        Assert.That(third.IsCompleted, Is.False);

        await first.DisposeAsync();

        _held.Add(await third.WaitAsync(Deadline));
    }

    [Test]
    public async Task ACancelledWaiterIsNotRefusedAndLeavesNoSlotTaken()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueueWait = LongWait });
        var running = await EnterAsync(admission, Owner("alice"));
        using var cancel = new CancellationTokenSource();
        var waiter = admission.EnterAsync(Owner("alice"), cancel.Token);

        await cancel.CancelAsync();

        var thrown = Assert.CatchAsync(() => waiter.WaitAsync(Deadline));
        Assert.That(thrown, Is.InstanceOf<OperationCanceledException>());
        await running.DisposeAsync();
        var next = admission.EnterAsync(Owner("alice"), CancellationToken.None);
        Assert.That(next.IsCompletedSuccessfully, Is.True, "the cancelled waiter took no slot with it");
        _held.Add(await next);
    }

    [Test]
    public async Task AWaiterCancelledAtTheWorkspaceGiveBackTheCallerSlotItHeld()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 1, MaxConcurrentPerWorkspace = 1, MaxQueueWait = LongWait });
        await EnterAsync(admission, Owner("alice", WorkspaceA));
        using var cancel = new CancellationTokenSource();
        var bobsWaiter = admission.EnterAsync(Owner("bob", WorkspaceA), cancel.Token);

        await cancel.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => bobsWaiter.WaitAsync(Deadline));
        var bobsNext = admission.EnterAsync(Owner("bob", WorkspaceB), CancellationToken.None);
        Assert.That(bobsNext.IsCompletedSuccessfully, Is.True, "bob's own slot came back");
        _held.Add(await bobsNext);
    }

    [Test]
    public async Task AWaiterRefusedAtTheWorkspaceGivesBackTheCallerSlotItHeld()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 1, MaxConcurrentPerWorkspace = 1, MaxQueueWait = TimeSpan.FromMilliseconds(200) });
        await EnterAsync(admission, Owner("alice", WorkspaceA));

        Assert.ThrowsAsync<RunRefusedException>(() => admission.EnterAsync(Owner("bob", WorkspaceA), CancellationToken.None).WaitAsync(Deadline));

        var bobsNext = admission.EnterAsync(Owner("bob", WorkspaceB), CancellationToken.None);
        Assert.That(bobsNext.IsCompletedSuccessfully, Is.True, "bob's own slot came back");
        _held.Add(await bobsNext);
    }

    [Test]
    public async Task DisposingASlotTwiceReleasesItOnce()
    {
        var admission = Admission(new RunsOptions { MaxConcurrentPerUser = 2, MaxQueueWait = LongWait });
        var first = await admission.EnterAsync(Owner("alice"), CancellationToken.None);
        await EnterAsync(admission, Owner("alice"));

        await first.DisposeAsync();
        await first.DisposeAsync();

        var third = await EnterAsync(admission, Owner("alice"));
        var beyond = admission.EnterAsync(Owner("alice"), CancellationToken.None);
        Assert.That(beyond.IsCompleted, Is.False, "only one slot came back");
        await third.DisposeAsync();
        _held.Add(await beyond.WaitAsync(Deadline));
    }

    private async Task<IAsyncDisposable> EnterAsync(RunAdmission admission, RunOwner owner)
    {
        var slot = await admission.EnterAsync(owner, CancellationToken.None).WaitAsync(Deadline);
        _held.Add(slot);
        return slot;
    }

    private static RunAdmission Admission(RunsOptions options) => new(Options.Create(options));

    private static RunOwner Owner(string caller, Guid? workspace = null) => new(caller, workspace, "test");
}
