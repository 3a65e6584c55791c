using System.Globalization;
using System.Text.RegularExpressions;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>Programs that take memory until none is left end as <c>memory_limit</c>, at the limit they were given.</summary>
[Order(2)]
public sealed partial class MemoryHogTests
{
    private const string PythonHog = AbuseWorkspace.PythonPrelude + """
        held = []
        while True:
            held.append(bytearray(b"x" * (8 << 20)))
            print("held", len(held) * 8, "MiB", flush=True)
        """;

    private const string CHog = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        int main(void) {
            size_t held = 0;
            for (;;) {
                char *block = malloc(8u << 20);
                if (block == NULL) {
                    printf("malloc refused at %zu MiB\n", held);
                    return 3;
                }
                memset(block, 'x', 8u << 20);
                held += 8;
                printf("held %zu MiB\n", held);
                fflush(stdout);
            }
        }
        """;

    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("memhog");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task APythonProgramGrowingAListIsKilledAtTheDefaultMemoryLimit()
    {
        var hog = await _workspace.RunAsync("hog.py", PythonHog);

        var held = MostHeld(hog.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(hog.Status, Is.EqualTo("memory_limit"), hog.ToString());
            // Killed at the 256 MiB default, not earlier for some other reason.
            Assert.That(held, Is.InRange(128, 256), hog.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task ACProgramTouchingEveryPageItMallocsIsKilledAtTheDefaultMemoryLimit()
    {
        var hog = await _workspace.RunAsync("hog.c", CHog);

        var held = MostHeld(hog.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(hog.Status, Is.EqualTo("memory_limit"), hog.ToString());
            Assert.That(hog.Stdout, Does.Not.Contain("malloc refused"), "the kernel, not malloc, is what stops it");
            Assert.That(held, Is.InRange(128, 256), hog.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task ASmallerMemoryLimitStopsTheSameProgramsSooner()
    {
        var python = await _workspace.RunAsync("hog.py", PythonHog, new { memoryMb = 64 });
        var c = await _workspace.RunAsync("hog.c", CHog, new { memoryMb = 64 });

        Assert.Multiple(() =>
        {
            Assert.That(python.Status, Is.EqualTo("memory_limit"), python.ToString());
            Assert.That(MostHeld(python.Stdout), Is.InRange(8, 63), python.ToString());
            Assert.That(c.Status, Is.EqualTo("memory_limit"), c.ToString());
            Assert.That(MostHeld(c.Stdout), Is.InRange(8, 63), c.ToString());
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    /// <summary>The most MiB the program reported holding before it died (0 when it said nothing).</summary>
    private static int MostHeld(string stdout) =>
        Held().Matches(stdout).Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    [GeneratedRegex(@"held (\d+) MiB")]
    private static partial Regex Held();
}
