using System.Text;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>A run from plan to verdict in a real sandbox.</summary>
public sealed class RunnerDockerTests
{
    [Test]
    public async Task AProgramGetsItsFilesArgsAndStdin()
    {
        using var docker = new RealDocker();
        var catalog = new LanguageCatalog();
        var files = new List<SourceFile>
        {
            new("main.py", Encoding.UTF8.GetBytes("import sys, helper\nprint(helper.greet(), sys.argv[1:], input())\n")),
            new("helper.py", Encoding.UTF8.GetBytes("def greet():\n    return 'hi'\n")),
        };
        var plan = new RunPlan(catalog.Find("python")!, new SourceProject(files, "main.py", ["a b", "c"]),
            new RunLimits(TimeSpan.FromSeconds(20), 256L << 20, 1 << 20), Encoding.UTF8.GetBytes("typed\n"), Interactive: false,
            new RunOwner("test", null, "test"));

        var run = await docker.Runner.StartAsync(plan, CancellationToken.None);
        var stdout = new StringBuilder();
        await foreach (var runEvent in run.Events.ReadAllAsync())
        {
            if (runEvent is RunOutput { Stream: OutputStream.Stdout } output)
            {
                stdout.Append(Encoding.UTF8.GetString(output.Data.Span));
            }
        }
        var result = await run.Completion;

        Assert.That(result.Status, Is.EqualTo(RunStatus.Ok));
        Assert.That(stdout.ToString(), Is.EqualTo("hi ['a b', 'c'] typed\n"));
    }

    [Test]
    public async Task AnInteractiveRunReadsStdinSentWhileItRunsAndCanBeKilled()
    {
        using var docker = new RealDocker();
        var files = new List<SourceFile> { new("echo.py", Encoding.UTF8.GetBytes("while True:\n    print('got', input(), flush=True)\n")) };
        var plan = new RunPlan(new LanguageCatalog().Find("python")!, new SourceProject(files, "echo.py", []),
            new RunLimits(TimeSpan.FromSeconds(30), 256L << 20, 1 << 20), ReadOnlyMemory<byte>.Empty, Interactive: true, new RunOwner("test", null, "test"));

        var run = await docker.Runner.StartAsync(plan, CancellationToken.None);
        await run.SendStdinAsync(Encoding.UTF8.GetBytes("one\n"), CancellationToken.None);
        var stdout = new StringBuilder();
        await foreach (var runEvent in run.Events.ReadAllAsync())
        {
            if (runEvent is RunOutput { Stream: OutputStream.Stdout } output)
            {
                stdout.Append(Encoding.UTF8.GetString(output.Data.Span));
                if (stdout.ToString() == "got one\n")
                {
                    await run.KillAsync(CancellationToken.None);
                }
            }
        }

        var result = await run.Completion;
        Assert.That(stdout.ToString(), Is.EqualTo("got one\n"));
        Assert.That(result.Status, Is.EqualTo(RunStatus.Killed));
    }

    [Test]
    public async Task TheUsersNextRunStartedTheMomentTheirRunEndsIsServedByTheSameContainer()
    {
        using var docker = new RealDocker();
        var files = new List<SourceFile> { new("main.py", Encoding.UTF8.GetBytes("print(1)\n")) };
        var plan = new RunPlan(new LanguageCatalog().Find("python")!, new SourceProject(files, "main.py", []),
            new RunLimits(TimeSpan.FromSeconds(20), 256L << 20, 1 << 20), ReadOnlyMemory<byte>.Empty, Interactive: false, new RunOwner("ada", null, "test"));

        var first = await docker.Runner.StartAsync(plan, CancellationToken.None);
        Assert.That((await first.Completion).Status, Is.EqualTo(RunStatus.Ok));
        // Started at once: the container is still being checked by its agent, and is waited for.
        var second = await docker.Runner.StartAsync(plan, CancellationToken.None);
        Assert.That((await second.Completion).Status, Is.EqualTo(RunStatus.Ok));

        Assert.That(second.SandboxId, Is.EqualTo(first.SandboxId));
    }
}
