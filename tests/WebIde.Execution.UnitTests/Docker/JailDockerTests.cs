using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WebIde.Execution.Layout;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>
/// Each step of a request in a jail of its own, in a real sandbox: what a single REST run cannot show, as it is one
/// step in one container (the attack tests of the abuse suite show the rest over the API).
/// </summary>
public sealed class JailDockerTests
{
    private const string Beat = """
        import os, sys, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                while True:
                    with open("/sandbox/beat", "a") as f:
                        f.write("x")
                    time.sleep(0.05)
            os._exit(0)
        time.sleep(0.3)
        print("beating", os.path.getsize("/sandbox/beat") > 0)
        """;

    private const string StillBeating = """
        import os, time
        before = os.path.getsize("/sandbox/beat")
        time.sleep(0.5)
        print("stopped" if os.path.getsize("/sandbox/beat") == before else "still beating")
        print("processes", sorted(int(name) for name in os.listdir("/proc") if name.isdigit()))
        """;

    private const string Usage = """
        import os, time
        if os.fork() == 0:
            held = b"x" * (96 << 20)
            time.sleep(0.2)
            os._exit(0)
        if os.fork() == 0:
            if os.fork() == 0:
                end = time.process_time() + 0.4
                while time.process_time() < end:
                    pass
                os._exit(0)
            os._exit(0)
        os.wait(); os.wait()
        time.sleep(0.8)
        os.kill(os.getpid(), 15)
        """;

    [Test]
    public async Task ABackgroundProcessOfOneStepIsGoneBeforeTheNextStepStarts()
    {
        var (events, stdout) = await RunAsync(
            [new SandboxFile("beat.py", Encoding.UTF8.GetBytes(Beat)), new SandboxFile("check.py", Encoding.UTF8.GetBytes(StillBeating))],
            Step("first", ["python3", "beat.py"], forward: false),
            Step("run", ["python3", "check.py"], forward: true));

        var steps = events.OfType<SandboxStepExited>().Select(exited => exited.Result).ToList();
        Assert.That(events.OfType<SandboxFailed>(), Is.Empty);
        Assert.That(steps, Has.Count.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(steps[0].ExitCode, Is.Zero, steps[0].Output);
            Assert.That(steps[0].Output, Is.EqualTo("beating True\n"));
            Assert.That(steps[0].WallMs, Is.LessThan(3_000), "the step ended with its program, not with the double-forked child");
            Assert.That(stdout, Is.EqualTo("stopped\nprocesses [1, 2]\n"), "the next step's jail: nothing of the first, the agent invisible");
        }
    }

    [Test]
    public async Task TheProgramsExitStatusCpuTimeAndPeakMemoryPassThroughTheJail()
    {
        var (events, _) = await RunAsync([new SandboxFile("usage.py", Encoding.UTF8.GetBytes(Usage))], Step("run", ["python3", "usage.py"], forward: true));

        var result = events.OfType<SandboxStepExited>().Single().Result;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(143), "SIGTERM, as a shell reports it");
            Assert.That(result.CpuMs, Is.GreaterThanOrEqualTo(350), "an orphan's CPU, reaped by the jail's init");
            Assert.That(result.PeakMemoryBytes, Is.GreaterThanOrEqualTo(96L << 20), "a child's resident set");
        }
    }

    private static SandboxStep Step(string name, IReadOnlyList<string> argv, bool forward) =>
        new(name, argv, SandboxLayout.Environment, 10_000, 1 << 20, ForwardOutput: forward, Stdin: false);

    private static async Task<(List<SandboxEvent> Events, string Stdout)> RunAsync(IReadOnlyList<SandboxFile> files, params SandboxStep[] steps)
    {
        using var docker = new RealDocker();
        var sandboxes = docker.Sandboxes;
        var request = new SandboxRequest(Guid.NewGuid(), "jail-docker-tests", null, "python", 256L << 20, files, steps, SandboxLayout.Directories, ReadOnlyMemory<byte>.Empty, CloseStdin: true);
        await using var sandbox = await sandboxes.StartAsync(request, CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<SandboxEvent>();
        var stdout = new StringBuilder();
        await foreach (var sandboxEvent in sandbox.ReadEventsAsync(deadline.Token))
        {
            events.Add(sandboxEvent);
            if (sandboxEvent is SandboxOutput { Stderr: false } output)
            {
                stdout.Append(Encoding.UTF8.GetString(output.Data.Span));
            }
        }
        return (events, stdout.ToString());
    }
}
