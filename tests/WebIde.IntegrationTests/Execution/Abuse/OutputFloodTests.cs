namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>A program that writes 100 MB is stopped at the output cap, and what it wrote up to the cap is kept.</summary>
[Order(4)]
public sealed class OutputFloodTests
{
    private const string Flood = """
        import sys
        line = "y" * 1023 + "\n"
        for _ in range(100 * 1024):
            sys.stdout.write(line)
        sys.stdout.flush()
        print("wrote all 100 MiB", file=sys.stderr)
        """;

    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("flood");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task OneHundredMegabytesOfOutputStopAtTheDefaultCapOfOneMebibyte()
    {
        var flood = await _workspace.RunAsync("flood.py", AbuseWorkspace.PythonPrelude + Flood);

        Assert.Multiple(() =>
        {
            Assert.That(flood.Status, Is.EqualTo("output_limit"), flood.ToString());
            Assert.That(flood.OutputTruncated, Is.True);
            // Only ASCII was written, so characters are bytes.
            Assert.That(flood.Stdout, Has.Length.EqualTo(1 << 20), flood.ToString());
            Assert.That(flood.Stdout, Does.StartWith("sandbox ").And.Contain("yyyy"));
            Assert.That(flood.Stderr, Does.Not.Contain("wrote all"), "the program was stopped at the cap, not left to finish");
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task AGivenOutputCapIsTheExactAmountKept()
    {
        var flood = await _workspace.RunAsync("flood-capped.py", Flood, new { maxOutputBytes = 5000 });

        Assert.Multiple(() =>
        {
            Assert.That(flood.Status, Is.EqualTo("output_limit"), flood.ToString());
            Assert.That(flood.OutputTruncated, Is.True);
            Assert.That(flood.Stdout, Is.EqualTo(string.Concat(new string('y', 1023), "\n", new string('y', 1023), "\n", new string('y', 1023), "\n",
                new string('y', 1023), "\n", new string('y', 904))), flood.ToString());
            Assert.That(flood.Stderr, Is.Empty);
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
