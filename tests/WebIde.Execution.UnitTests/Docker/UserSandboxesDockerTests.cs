using System.Text;
using Docker.DotNet;
using WebIde.Execution.Layout;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>
/// Containers that belong to one user, over the real engine: a user's runs one after another share a
/// container, another user's never get it, and a container is replaced after a limit hit, after its
/// number of runs, or to make room under the user's limit.
/// </summary>
public sealed class UserSandboxesDockerTests
{
    [Test]
    public async Task AUsersRunsShareTheirContainerAndAnotherUsersRunsNeverGetIt()
    {
        using var docker = new RealDocker();

        var first = await RunAsync(docker, "ada", "print('first')");
        var second = await RunAsync(docker, "ada", "import os; print(sorted(os.listdir('.')))");
        var other = await RunAsync(docker, "bob", "print('bob')");
        var third = await RunAsync(docker, "ada", "print('third')");

        Assert.Multiple(() =>
        {
            Assert.That(first.Stdout, Is.EqualTo("first\n"));
            Assert.That(second.Container, Is.EqualTo(first.Container), "ada's second run reuses her container");
            Assert.That(second.Stdout, Is.EqualTo("['.webide', 'main.py']\n"), "and sees only its own files");
            Assert.That(second.Done, Is.EqualTo(new AgentRunDone(2, true, [])).Using<AgentRunDone>(SameDone), "the agent counts the runs it served");
            Assert.That(other.Container, Is.Not.EqualTo(first.Container), "bob never gets ada's container");
            Assert.That(other.Stdout, Is.EqualTo("bob\n"));
            Assert.That(third.Container, Is.EqualTo(first.Container), "bob's run did not take ada's container away");
        });
    }

    [Test]
    public async Task ARunThatHitsALimitRetiresItsContainer()
    {
        using var docker = new RealDocker();

        var before = await RunAsync(docker, "ada", "print('before')");
        var timedOut = await RunAsync(docker, "ada", "import time; time.sleep(30)", timeoutMs: 500);
        var after = await RunAsync(docker, "ada", "print('after')");

        Assert.Multiple(() =>
        {
            Assert.That(timedOut.Container, Is.EqualTo(before.Container));
            Assert.That(timedOut.Done, Is.Not.Null.And.Property(nameof(AgentRunDone.Reusable)).False, "the agent reports the limit hit");
            Assert.That(timedOut.Done!.Reasons, Does.Contain("timedOut"));
            Assert.That(after.Container, Is.Not.EqualTo(before.Container), "the next run gets a fresh container");
            Assert.That(after.Stdout, Is.EqualTo("after\n"));
        });
        Assert.That(async () => await docker.Client.Containers.InspectContainerAsync(before.Container), Throws.InstanceOf<DockerContainerNotFoundException>(),
            "the retired container is removed");
    }

    [Test]
    public async Task AContainerIsReplacedAfterItsNumberOfRuns()
    {
        using var docker = new RealDocker(new WarmPoolOptions { DefaultSize = 0, RunsPerContainer = 2 });

        var containers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            containers.Add((await RunAsync(docker, "ada", "print(1)")).Container);
        }

        Assert.That(containers[1], Is.EqualTo(containers[0]));
        Assert.That(containers[2], Is.Not.EqualTo(containers[0]), "two runs, then a fresh one");
    }

    [Test]
    public async Task AUserAtTheirLimitGetsRoomByRetiringTheirLeastRecentlyUsedContainer()
    {
        using var docker = new RealDocker(new WarmPoolOptions { DefaultSize = 0, PerUser = 2 });

        var python = await RunAsync(docker, "ada", "print(1)");
        var bash = await RunAsync(docker, "ada", "echo 1", language: "bash");
        var pythonAgain = await RunAsync(docker, "ada", "print(2)");
        var javascript = await RunAsync(docker, "ada", "console.log(3)", language: "javascript");

        Assert.Multiple(() =>
        {
            Assert.That(pythonAgain.Container, Is.EqualTo(python.Container), "python's container was used last");
            Assert.That(javascript.Stdout, Is.EqualTo("3\n"));
            Assert.That(docker.Users.AssignedCount, Is.EqualTo(2), "still two containers for ada");
        });
        Assert.That(async () => await docker.Client.Containers.InspectContainerAsync(bash.Container), Throws.InstanceOf<DockerContainerNotFoundException>(),
            "bash's, the least recently used, made room");
    }

    private static bool SameDone(AgentRunDone expected, AgentRunDone actual) =>
        expected.Run == actual.Run && expected.Reusable == actual.Reusable && expected.Reasons.SequenceEqual(actual.Reasons);

    private static readonly Dictionary<string, (string File, string[] Argv)> Programs = new()
    {
        ["python"] = ("main.py", ["python3", "main.py"]),
        ["bash"] = ("main.sh", ["bash", "main.sh"]),
        ["javascript"] = ("main.js", ["node", "main.js"]),
    };

    /// <summary>One run of <paramref name="source"/> for <paramref name="tenant"/>, its lease handed back before this returns.</summary>
    private static async Task<Outcome> RunAsync(RealDocker docker, string tenant, string source, string language = "python", long timeoutMs = 10_000)
    {
        var (file, argv) = Programs[language];
        var step = new SandboxStep("run", argv, SandboxLayout.Environment, timeoutMs, 1 << 20, ForwardOutput: true, Stdin: true);
        var request = new SandboxRequest(Guid.NewGuid(), tenant, null, language, WarmPool.DefaultShape.MemoryBytes,
            [new SandboxFile(file, Encoding.UTF8.GetBytes(source))], [step], SandboxLayout.Directories, ReadOnlyMemory<byte>.Empty, CloseStdin: true);
        var lease = (SandboxLease)await docker.Sandboxes.StartAsync(request, CancellationToken.None);
        var stdout = new StringBuilder();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var sandboxEvent in lease.ReadEventsAsync(deadline.Token))
        {
            if (sandboxEvent is SandboxOutput { Stderr: false } output)
            {
                stdout.Append(Encoding.UTF8.GetString(output.Data.Span));
            }
        }
        await lease.DisposeAsync();
        return new Outcome(lease.Id, stdout.ToString(), lease.Done);
    }

    private sealed record Outcome(string Container, string Stdout, AgentRunDone? Done);
}
