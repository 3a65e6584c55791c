using System.Diagnostics.Metrics;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Execution.Checks;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Runs;

/// <summary>
/// A run takes its slot before its workspace's files are read, and gives the slot back however it
/// ends: the launcher over the real planner, admission and runner, with the filesystem and the
/// sandbox faked. Alice may have one run going and none waiting, so a second is refused at once.
/// </summary>
public sealed class RunLauncherTests
{
    private static readonly Guid Workspace = Guid.NewGuid();
    private static readonly RunCaller Alice = new("user-alice", "token-alice");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private ServiceProvider _services = null!;
    private SandboxMetrics _metrics = null!;
    private FakeSandboxes _sandbox = null!;
    private FakeWorkspaceFiles _files = null!;
    private RunAdmission _admission = null!;
    private RunLauncher _launcher = null!;
    private CheckRunner _checks = null!;

    [SetUp]
    public void CreateLauncher()
    {
        var runs = Options.Create(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueuedPerUser = 0 });
        var sandboxOptions = Options.Create(new SandboxOptions());
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new SandboxMetrics(_services.GetRequiredService<IMeterFactory>());
        _sandbox = new FakeSandboxes();
        _files = new FakeWorkspaceFiles { Project = [File("main.py")] };
        _admission = new RunAdmission(runs);
        var planner = new RunPlanner(new LanguageCatalog(), new WorkspaceSource(_files), runs, sandboxOptions);
        var runner = new Runner(_sandbox, new LanguageVersions(FakeEngine.WithLanguageVersions(), sandboxOptions), _metrics, runs, sandboxOptions, NullLogger<Runner>.Instance);
        _launcher = new RunLauncher(planner, _admission, runner, Substitute.For<IBus>(), TimeProvider.System, NullLogger<RunLauncher>.Instance);
        _checks = new CheckRunner(planner, _admission, runner, runs);
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _metrics.Dispose();
        await _services.DisposeAsync();
    }

    [Test]
    public async Task ARunRefusedForItsSlotNeverAsksForItsWorkspacesFiles()
    {
        var first = await LaunchAsync(Inline());

        Assert.ThrowsAsync<RunRefusedException>(() => LaunchAsync(FromWorkspace()));

        Assert.That(_files.Reads, Is.Zero, "the refused run read no files");
        _sandbox.End();
        await first.Completion.WaitAsync(Deadline);
    }

    [Test]
    public async Task ACheckRefusedForItsSlotNeverAsksForItsWorkspacesFiles()
    {
        await LaunchAsync(Inline());

        Assert.ThrowsAsync<RunRefusedException>(() => _checks.CheckAsync(new CheckInput(null, null, Workspace, "main.py"), Alice, CancellationToken.None));

        Assert.That(_files.Reads, Is.Zero, "the refused check read no files");
    }

    [Test]
    public async Task ARunWaitingForItsSlotReadsItsFilesOnlyOnceItHasOne()
    {
        // A queue this time: the second run waits for the first.
        var runs = Options.Create(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueueWait = TimeSpan.FromMinutes(5) });
        var sandboxOptions = Options.Create(new SandboxOptions());
        var first = new FakeSandboxes();
        var launcher = new RunLauncher(new RunPlanner(new LanguageCatalog(), new WorkspaceSource(_files), runs, sandboxOptions), new RunAdmission(runs),
            new Runner(first, new LanguageVersions(FakeEngine.WithLanguageVersions(), sandboxOptions), _metrics, runs, sandboxOptions, NullLogger<Runner>.Instance),
            Substitute.For<IBus>(), TimeProvider.System, NullLogger<RunLauncher>.Instance);
        var running = await launcher.LaunchAsync(Inline(), Alice, interactive: false, "test", CancellationToken.None).WaitAsync(Deadline);

        var waiting = launcher.LaunchAsync(FromWorkspace(), Alice, interactive: false, "test", CancellationToken.None);
        Assert.That(waiting.IsCompleted, Is.False, "the second run waits for a slot");
        Assert.That(_files.Reads, Is.Zero, "and has read nothing while it waits");

        first.End();
        await running.Completion.WaitAsync(Deadline);
        var second = await waiting.WaitAsync(Deadline);

        Assert.That(_files.Reads, Is.EqualTo(1));
        Assert.That(second.Plan.Project.Files.Select(file => file.Path), Is.EqualTo(new[] { "main.py" }));
        await first.DisposeAsync();
    }

    [Test]
    public async Task AnUnknownWorkspaceGivesItsSlotBack()
    {
        _files.Failure = new RpcException(new Status(StatusCode.NotFound, "no such workspace"));

        var refused = Assert.ThrowsAsync<RunRequestException>(() => LaunchAsync(FromWorkspace()));

        Assert.That(refused!.Problem, Is.EqualTo(RunRequestProblem.WorkspaceNotFound));
        await AssertTheSlotIsFreeAsync();
    }

    [Test]
    public async Task AnEntryMissingFromTheWorkspaceGivesItsSlotBack()
    {
        _files.Project = [File("other.py")];

        var refused = Assert.ThrowsAsync<RunRequestException>(() => LaunchAsync(FromWorkspace()));

        Assert.That(refused!.Problem, Is.EqualTo(RunRequestProblem.Invalid));
        Assert.That(refused.Message, Does.Contain("main.py"));
        await AssertTheSlotIsFreeAsync();
    }

    [Test]
    public async Task AWorkspaceOverTheBudgetGivesItsSlotBack()
    {
        // 33 MiB: over half the default sandbox's 64 MiB scratch disk.
        _files.Project = [File("main.py"), new SourceFile("data.bin", new byte[33 << 20])];

        var refused = Assert.ThrowsAsync<RunRequestException>(() => LaunchAsync(FromWorkspace()));

        Assert.That(refused!.Problem, Is.EqualTo(RunRequestProblem.TooLarge));
        await AssertTheSlotIsFreeAsync();
    }

    [Test]
    public async Task AFilesystemThatIsDownGivesTheSlotBack()
    {
        _files.Failure = new RpcException(new Status(StatusCode.Unavailable, "filesystem is down"));

        var failed = Assert.ThrowsAsync<RpcException>(() => LaunchAsync(FromWorkspace()));

        Assert.That(failed!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        await AssertTheSlotIsFreeAsync();
    }

    [Test]
    public async Task ACallerThatGoesAwayWhileTheFilesAreReadGivesTheSlotBack()
    {
        _files.Hangs = true;
        using var caller = new CancellationTokenSource();
        var launch = _launcher.LaunchAsync(FromWorkspace(), Alice, interactive: false, "test", caller.Token);
        await _files.ReadStarted.WaitAsync(Deadline);

        await caller.CancelAsync();

        Assert.CatchAsync<OperationCanceledException>(() => launch.WaitAsync(Deadline));
        await AssertTheSlotIsFreeAsync();
    }

    [Test]
    public async Task ASandboxThatCannotBeStartedGivesTheSlotBack()
    {
        _sandbox.StartFailure = new IOException("the engine went away");

        Assert.ThrowsAsync<IOException>(() => LaunchAsync(FromWorkspace()));

        await AssertTheSlotIsFreeAsync();
    }

    [Test]
    public async Task ARunThatEndsGivesItsSlotBack()
    {
        var run = await LaunchAsync(FromWorkspace());

        _sandbox.End();
        await run.Completion.WaitAsync(Deadline);

        await WaitUntilAsync(TheSlotIsFreeAsync, "the slot comes back once the run is over");
    }

    private async Task<ActiveRun> LaunchAsync(RunSubmission submission) =>
        await _launcher.LaunchAsync(submission, Alice, interactive: false, "test", CancellationToken.None).WaitAsync(Deadline);

    /// <summary>Whether alice's one slot can be had at once (with no queue, a taken slot refuses at once).</summary>
    private async Task<bool> TheSlotIsFreeAsync()
    {
        var next = _admission.EnterAsync(new RunOwner(Alice.CallerId, Workspace, "test"), CancellationToken.None);
        if (!next.IsCompletedSuccessfully)
        {
            return false;
        }
        await (await next).DisposeAsync();
        return true;
    }

    private async Task AssertTheSlotIsFreeAsync() => Assert.That(await TheSlotIsFreeAsync(), Is.True, "the slot came back");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            Assert.That(deadline.IsCancellationRequested, Is.False, $"{what}: not within {Deadline.TotalSeconds} s");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static RunSubmission Inline() =>
        new("python", [File("main.py")], null, "main.py", ReadOnlyMemory<byte>.Empty, [], null, null, null);

    private static RunSubmission FromWorkspace() =>
        new("python", null, Workspace, "main.py", ReadOnlyMemory<byte>.Empty, [], null, null, null);

    private static SourceFile File(string path) => new(path, "print(1)"u8.ToArray());
}
