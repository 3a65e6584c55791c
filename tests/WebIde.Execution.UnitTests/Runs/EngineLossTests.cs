using System.Diagnostics.Metrics;
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
/// What a Docker engine that restarts or hangs mid-run does to a run, with the sandbox's stream
/// faked: it breaks, it ends and the engine cannot say why, or it never answers, not even to
/// cancellation. Every run still ends, with a status, and gives its slot back. Alice may have
/// one run going and none waiting, so a slot still held would refuse her next run at once.
/// </summary>
public sealed class EngineLossTests
{
    private static readonly RunCaller Alice = new("user-alice", "token-alice");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private ServiceProvider _services = null!;
    private SandboxMetrics _metrics = null!;
    private FakeSandboxes _sandbox = null!;
    private RunAdmission _admission = null!;
    private RunLauncher _launcher = null!;
    private CheckRunner _checks = null!;

    [SetUp]
    public void CreateLauncher()
    {
        // Short watchdogs, so that a run whose sandbox never answers ends within the test.
        var runs = Options.Create(new RunsOptions { MaxConcurrentPerUser = 1, MaxQueuedPerUser = 0, CompileTimeout = TimeSpan.FromMilliseconds(200) });
        var sandboxOptions = Options.Create(new SandboxOptions { WatchdogGrace = TimeSpan.FromMilliseconds(200) });
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new SandboxMetrics(_services.GetRequiredService<IMeterFactory>());
        _sandbox = new FakeSandboxes();
        _admission = new RunAdmission(runs);
        var planner = new RunPlanner(new LanguageCatalog(), new WorkspaceSource(new FakeWorkspaceFiles()), runs, sandboxOptions);
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
    public async Task AStreamThatBreaksMidRunEndsTheRunAsAnInternalErrorAndFreesItsSlot()
    {
        var run = await LaunchAsync();
        _sandbox.Report(new SandboxOutput(Stderr: false, "half"u8.ToArray()));

        _sandbox.Break(new IOException("Connection reset by peer"));

        var events = await EventsAsync(run);
        Assert.That(events[^1], Is.EqualTo(new RunExited(await run.Completion)), "the stream ends with the run's exit");
        Assert.That((await run.Completion).Status, Is.EqualTo(RunStatus.InternalError));
        Assert.That(events.OfType<RunOutput>().Select(output => output.Data.Length), Is.EqualTo(new[] { 4 }), "what came before the break is kept");
        await AssertTheSlotComesBackAsync();
    }

    [Test]
    public async Task AStreamThatEndsWhileTheEngineRefusesEndsTheRunAsAnInternalErrorAndFreesItsSlot()
    {
        // The engine is down: asking it how the container ended fails at once.
        _sandbox.OomQuery = _ => throw new HttpRequestException("Connection refused (/var/run/docker.sock)");
        var run = await LaunchAsync();

        _sandbox.End();

        Assert.That((await run.Completion.WaitAsync(Deadline)).Status, Is.EqualTo(RunStatus.InternalError));
        await AssertTheSlotComesBackAsync();
    }

    [Test]
    public async Task AStreamThatEndsWhileTheEngineHangsEndsTheRunAsAnInternalErrorAndFreesItsSlot()
    {
        // The engine accepts the question and never answers, not even to cancellation.
        _sandbox.OomQuery = _ => new TaskCompletionSource<bool>().Task;
        var run = await LaunchAsync();

        _sandbox.End();

        Assert.That((await run.Completion.WaitAsync(Deadline)).Status, Is.EqualTo(RunStatus.InternalError));
        await AssertTheSlotComesBackAsync();
    }

    [Test]
    public async Task AStreamThatNeverAnswersNotEvenToCancellationEndsTheRunAtItsWatchdogAndFreesItsSlot()
    {
        _sandbox.ReadsIgnoreCancellation = true;
        var run = await LaunchAsync(timeoutMs: 100);

        var result = await run.Completion.WaitAsync(Deadline);

        // The watchdog's status: the sandbox did not end the run within its limit and the grace.
        Assert.That(result.Status, Is.EqualTo(RunStatus.Timeout));
        await AssertTheSlotComesBackAsync();
        Assert.That(_sandbox.Disposed, Is.True, "the sandbox is removed, which closes the read left behind");
    }

    [Test]
    public async Task ARunKilledWhileTheEngineIsGoneEndsAsKilled()
    {
        _sandbox.OomQuery = _ => Task.FromException<bool>(new HttpRequestException("Connection refused"));
        var run = await LaunchAsync();

        await run.KillAsync(CancellationToken.None);
        _sandbox.End();

        Assert.That((await run.Completion.WaitAsync(Deadline)).Status, Is.EqualTo(RunStatus.Killed));
        await AssertTheSlotComesBackAsync();
    }

    [Test]
    public async Task ACheckWhoseStreamNeverAnswersEndsAtItsWatchdogAndFreesItsSlot()
    {
        _sandbox.ReadsIgnoreCancellation = true;

        var check = _checks.CheckAsync(new CheckInput("python", [new SourceFile("main.py", "print(1)"u8.ToArray())], null, "main.py"), Alice, CancellationToken.None);

        Assert.CatchAsync<OperationCanceledException>(() => check.WaitAsync(Deadline));
        await AssertTheSlotComesBackAsync();
    }

    private async Task<ActiveRun> LaunchAsync(long? timeoutMs = null) =>
        await _launcher.LaunchAsync(new RunSubmission("python", [new SourceFile("main.py", "print(1)"u8.ToArray())], null, "main.py", ReadOnlyMemory<byte>.Empty, [], timeoutMs, null, null),
            Alice, interactive: false, "test", CancellationToken.None).WaitAsync(Deadline);

    /// <summary>Until alice's one slot can be had at once again, within the deadline.</summary>
    private async Task AssertTheSlotComesBackAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var next = _admission.EnterAsync(new RunOwner(Alice.CallerId, null, "test"), CancellationToken.None);
            if (next.IsCompletedSuccessfully)
            {
                await (await next).DisposeAsync();
                return;
            }
            Assert.That(deadline.IsCancellationRequested, Is.False, $"the slot did not come back within {Deadline.TotalSeconds} s");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static async Task<List<RunEvent>> EventsAsync(ActiveRun run)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var events = new List<RunEvent>();
        await foreach (var runEvent in run.Events.ReadAllAsync(deadline.Token))
        {
            events.Add(runEvent);
        }
        return events;
    }
}
