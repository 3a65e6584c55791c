namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>Programs that will not end: the run ends anyway, at its own limit and not later.</summary>
[Order(3)]
public sealed class RunawayTests
{
    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("runaway");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task AnInfiniteLoopEndsAsATimeoutAtTheTimeoutItWasGiven()
    {
        var loop = await _workspace.RunAsync("loop.py", AbuseWorkspace.PythonPrelude + """
            print("looping", flush=True)
            while True:
                pass
            """, new { timeoutMs = 1000 });

        Assert.Multiple(() =>
        {
            Assert.That(loop.Status, Is.EqualTo("timeout"), loop.ToString());
            Assert.That(loop.Stdout, Does.Contain("looping\n"));
            Assert.That(loop.WallTimeMs, Is.InRange(1000, 9_999), loop.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task AChildThatSleepsOnAfterItsParentExitsDoesNotKeepTheRunAlive()
    {
        // The child leaves the parent's session and process group, and forks once more, so
        // only something that ends every process in the sandbox ends it.
        var orphan = await _workspace.RunAsync("orphan.py", AbuseWorkspace.PythonPrelude + """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(60)
                    print("the grandchild woke up", flush=True)
                os._exit(0)
            print("parent done", flush=True)
            """);

        Assert.Multiple(() =>
        {
            Assert.That(orphan.Status, Is.EqualTo("ok"), orphan.ToString());
            Assert.That(orphan.Stdout, Does.Contain("parent done\n").And.Not.Contain("woke up"));
            // "ok", not "timeout": the run ended without waiting for the child's 60 s or its own
            // 10 s limit. The sandbox's own clock, generous for a loaded machine, says the same.
            Assert.That(orphan.WallTimeMs, Is.LessThan(5_000), orphan.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task ABackgroundedShellJobDoesNotKeepTheRunAlive()
    {
        var orphan = await _workspace.RunAsync("orphan.sh", AbuseWorkspace.BashPrelude + """
            nohup sleep 60 >/dev/null 2>&1 &
            setsid sleep 60 &
            echo "shell done"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(orphan.Status, Is.EqualTo("ok"), orphan.ToString());
            Assert.That(orphan.Stdout, Does.EndWith("shell done\n"));
            Assert.That(orphan.WallTimeMs, Is.LessThan(5_000), orphan.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
