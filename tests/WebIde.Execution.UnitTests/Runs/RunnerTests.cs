using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Runs;

/// <summary>How a run's sandbox request is made and how what the sandbox reports becomes the run's events and verdict.</summary>
public sealed class RunnerTests
{
    private static readonly Guid Workspace = Guid.NewGuid();

    private ServiceProvider _services = null!;
    private SandboxMetrics _metrics = null!;
    private FakeSandboxes _sandbox = null!;
    private Runner _runner = null!;

    [SetUp]
    public void CreateRunner()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new SandboxMetrics(_services.GetRequiredService<IMeterFactory>());
        _sandbox = new FakeSandboxes();
        _runner = new Runner(_sandbox, new LanguageVersions(FakeEngine.WithLanguageVersions(), Options.Create(new SandboxOptions())), _metrics,
            Options.Create(new RunsOptions()), Options.Create(new SandboxOptions()), NullLogger<Runner>.Instance);
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _metrics.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task ABatchRunGivesItsSandboxTheProjectTheRunStepAndAllItsStdin()
    {
        var run = await _runner.StartAsync(Plan("python", "main.py", interactive: false, args: ["a b"]), CancellationToken.None);

        var request = _sandbox.Request!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.RunId, Is.EqualTo(run.RunId));
            Assert.That(request.WorkspaceId, Is.EqualTo(Workspace));
            Assert.That(request.Language, Is.EqualTo("python"));
            Assert.That(request.MemoryBytes, Is.EqualTo(128L << 20));
            Assert.That(request.Files.Select(file => file.Path), Is.EqualTo(new[] { "main.py" }));
            Assert.That(request.Steps.Select(step => step.Name), Is.EqualTo(new[] { "run" }));
            Assert.That(request.Steps[0].Argv, Is.EqualTo(new[] { "python3", "main.py", "a b" }));
            Assert.That(request.Steps[0].TimeoutMs, Is.EqualTo(5000));
            Assert.That(request.Steps[0].ForwardOutput, Is.True);
            Assert.That(Encoding.UTF8.GetString(request.Stdin.Span), Is.EqualTo("typed\n"));
            Assert.That(request.CloseStdin, Is.True, "a batch run's stdin is all there is");
        }

        _sandbox.Report(new SandboxOutput(Stderr: false, "hi\n"u8.ToArray()));
        _sandbox.Report(new SandboxStepExited(Step("run", exitCode: 0) with { WallMs = 12, CpuMs = 7, PeakMemoryBytes = 4096 }));
        var events = await EventsAsync(run);

        Assert.That(events[0], Is.TypeOf<RunStarted>().With.Property(nameof(RunStarted.Version)).EqualTo("3.11.2"));
        Assert.That(Stdout(events), Is.EqualTo("hi\n"));
        Assert.That(await run.Completion, Is.EqualTo(new RunResult(RunStatus.Ok, 0, 12, 7, 4096, false)));
        Assert.That(events[^1], Is.EqualTo(new RunExited(await run.Completion)));
        // The sandbox goes right after the verdict, not before it.
        await WaitUntilAsync(() => _sandbox.Disposed, "a sandbox serves one run, and is removed after it");
    }

    [Test]
    public async Task ACompileErrorEndsTheRunWithTheCompilersOutputOnStderr()
    {
        var run = await _runner.StartAsync(Plan("c", "main.c", interactive: false), CancellationToken.None);
        Assert.That(_sandbox.Request!.Steps.Select(step => (step.Name, step.ForwardOutput)), Is.EqualTo(new[] { ("compile", false), ("run", true) }));

        _sandbox.Report(new SandboxStepExited(Step("compile", exitCode: 1) with { WallMs = 300, Output = "main.c:1:1: error: expected ';'\n" }));
        var events = await EventsAsync(run);

        var stderr = events.OfType<RunOutput>().Where(output => output.Stream == OutputStream.Stderr).Select(output => Encoding.UTF8.GetString(output.Data.Span));
        Assert.That(string.Concat(stderr), Is.EqualTo("main.c:1:1: error: expected ';'\n"));
        Assert.That(await run.Completion, Is.EqualTo(new RunResult(RunStatus.CompileError, 1, 0, 0, 0, false)), "a compile step's times are not the run's");
    }

    [Test]
    public async Task OutputBeyondTheLimitIsCutThereAndTheRunIsKilled()
    {
        var run = await _runner.StartAsync(Plan("python", "main.py", interactive: true, maxOutputBytes: 5), CancellationToken.None);

        _sandbox.Report(new SandboxOutput(Stderr: false, "hello world\n"u8.ToArray()));
        await WaitUntilAsync(() => _sandbox.Controls.Contains("kill"), "the sandbox is told to kill the run");
        _sandbox.Report(new SandboxStepExited(Step("run", exitCode: -9) with { Killed = true }));
        var events = await EventsAsync(run);

        Assert.That(Stdout(events), Is.EqualTo("hello"));
        var result = await run.Completion;
        Assert.That((result.Status, result.OutputTruncated), Is.EqualTo((RunStatus.OutputLimit, true)));
    }

    [TestCase(true, RunStatus.MemoryLimit)]
    [TestCase(false, RunStatus.InternalError)]
    public async Task ASandboxThatDiesWithoutAVerdictEndsTheRunByWhatKilledIt(bool oomKilled, RunStatus expected)
    {
        _sandbox.OomKilled = oomKilled;
        var run = await _runner.StartAsync(Plan("python", "main.py", interactive: false), CancellationToken.None);

        _sandbox.End();

        Assert.That((await run.Completion).Status, Is.EqualTo(expected));
        Assert.That(_runner.ActiveCount, Is.Zero);
    }

    [Test]
    public async Task AnInteractiveRunsStdinReachesItsSandboxAndIsClosedOnce()
    {
        var run = await _runner.StartAsync(Plan("python", "main.py", interactive: true), CancellationToken.None);
        Assert.That(_sandbox.Request!.CloseStdin, Is.False, "more input may follow");

        await run.SendStdinAsync("more\n"u8.ToArray(), CancellationToken.None);
        await run.CloseStdinAsync(CancellationToken.None);
        await run.CloseStdinAsync(CancellationToken.None);
        await run.SendStdinAsync("late\n"u8.ToArray(), CancellationToken.None);
        await run.KillAsync(CancellationToken.None);
        _sandbox.Report(new SandboxStepExited(Step("run", exitCode: -9) with { Killed = true }));

        Assert.That((await run.Completion).Status, Is.EqualTo(RunStatus.Killed));
        Assert.That(_sandbox.Controls, Is.EqualTo(new[] { "stdin:more\n", "close", "kill" }));
    }

    private static RunPlan Plan(string language, string entry, bool interactive, IReadOnlyList<string>? args = null, long maxOutputBytes = 1 << 20)
    {
        var files = new List<SourceFile> { new(entry, "source"u8.ToArray()) };
        return new RunPlan(new LanguageCatalog().Find(language)!, new SourceProject(files, entry, args ?? []),
            new RunLimits(TimeSpan.FromSeconds(5), 128L << 20, maxOutputBytes), "typed\n"u8.ToArray(), interactive,
            new RunOwner("user-alice", Workspace, "test"));
    }

    private static SandboxStepResult Step(string name, int exitCode) =>
        new(name, exitCode, 0, 0, 0, TimedOut: false, OutputLimited: false, OomKilled: false, Killed: false, Output: null);

    private static async Task<List<RunEvent>> EventsAsync(ActiveRun run)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<RunEvent>();
        await foreach (var runEvent in run.Events.ReadAllAsync(deadline.Token))
        {
            events.Add(runEvent);
        }
        return events;
    }

    private static string Stdout(IEnumerable<RunEvent> events) =>
        string.Concat(events.OfType<RunOutput>().Where(output => output.Stream == OutputStream.Stdout).Select(output => Encoding.UTF8.GetString(output.Data.Span)));

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.That(deadline.IsCancellationRequested, Is.False, $"{what}: not within 10 s");
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
