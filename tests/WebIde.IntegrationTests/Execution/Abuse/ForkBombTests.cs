namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>Fork bombs meet the process limit, the run ends with a status, and the user's next run is served.</summary>
[Order(1)]
public sealed class ForkBombTests
{
    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("forkbomb");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task APythonForkLoopIsRefusedMoreProcessesAndEndsAtItsTimeout()
    {
        // Every process, children too, forks for ever; the first process says when the
        // kernel first refuses it one.
        var bomb = await _workspace.RunAsync("bomb.py", AbuseWorkspace.PythonPrelude + """
            import os
            first = os.getpid()
            told = False
            while True:
                try:
                    os.fork()
                except OSError as error:
                    if os.getpid() == first and not told:
                        told = True
                        print("fork refused:", error.strerror, flush=True)
            """, new { timeoutMs = 3000 });

        Assert.Multiple(() =>
        {
            Assert.That(bomb.Status, Is.EqualTo("timeout"), bomb.ToString());
            Assert.That(bomb.Stdout, Does.Contain("fork refused: Resource temporarily unavailable"), bomb.ToString());
            Assert.That(bomb.WallTimeMs, Is.InRange(3000, 10_000), bomb.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task TheClassicBashForkBombIsRefusedMoreProcessesAndTheRunEnds()
    {
        // The bomb's processes outlive the function calls that made them and keep retrying
        // their forks, so only the run's own timeout ends it. Nothing is asserted of what the
        // script would do after the bomb: bash retries a refused fork with sleeps doubling up to
        // about 30 s, so whether a later line runs within the timeout is luck, not the sandbox.
        var bomb = await _workspace.RunAsync("bomb.sh", AbuseWorkspace.BashPrelude + """
            :(){ :|:& };:
            while :; do :; done
            """, new { timeoutMs = 3000 });

        Assert.Multiple(() =>
        {
            Assert.That(bomb.Status, Is.EqualTo("timeout"), bomb.ToString());
            Assert.That(bomb.Stderr, Does.Contain("fork").And.Contain("Resource temporarily unavailable"), bomb.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
