using System.Diagnostics;
using WebIde.Tests.Shared;

// Outside the WebIde.IntegrationTests namespace on purpose: these need bash only, not the platform.
namespace WebIde.ScriptTests;

/// <summary>
/// <c>./webide</c>'s log files stay bounded (eng/log-rotation.sh): a log that grows while the platform runs is
/// rotated by size, logs that each run starts anew are pruned by count.
/// </summary>
public sealed class LogRotationTests
{
    private DirectoryInfo _data = null!;

    [SetUp]
    public void CreateDataFolder() => _data = Directory.CreateTempSubdirectory("webide-log-rotation-");

    [TearDown]
    public void DeleteDataFolder() => _data.Delete(recursive: true);

    [Test]
    public async Task TheAppHostsOutputIsRotatedBySizeKeepingABoundedNumber()
    {
        // The output filter, as ./webide up runs the AppHost through it, fed 100 lines of about 60 bytes.
        var output = await RunAsync("""
            log() { :; }
            eval "$(sed -n '/^output_filter() {/,/^}/p' webide)"
            for i in $(seq 1 100); do printf 'line %03d of the output, padded to about sixty bytes...\n' "$i"; done \
              | output_filter "$DATA/apphost.log" >/dev/null
            """);

        var files = _data.GetFiles("apphost.log*").Select(file => file.Name).Order().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Is.EqualTo(new[] { "apphost.log", "apphost.log.1", "apphost.log.2" }), output);
            Assert.That(_data.GetFiles("apphost.log*").Select(file => file.Length), Has.All.LessThanOrEqualTo(1100));
            Assert.That(File.ReadLines(Path.Combine(_data.FullName, "apphost.log")).Last(), Does.StartWith("line 100"));
        }
    }

    [Test]
    public async Task OnlyTheNewestRunsLogsAndResultsAreKept()
    {
        var logs = Directory.CreateDirectory(Path.Combine(_data.FullName, "logs"));
        foreach (var time in new[] { "20260101-000000", "20260102-000000", "20260103-000000" })
        {
            await File.WriteAllTextAsync(Path.Combine(logs.FullName, $"apphost-{time}.log"), time);
            await File.WriteAllTextAsync(Path.Combine(logs.FullName, $"build-{time}.log"), time);
            Directory.CreateDirectory(Path.Combine(_data.FullName, "test-results", time));
        }
        await File.WriteAllTextAsync(Path.Combine(logs.FullName, "apphost-20260101-000000.log.1"), "rotated");

        var output = await RunAsync("prune_logs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(logs.GetFiles().Select(file => file.Name).Order(), Is.EqualTo(new[]
            {
                "apphost-20260102-000000.log", "apphost-20260103-000000.log", "build-20260102-000000.log", "build-20260103-000000.log",
            }), output);
            Assert.That(Directory.GetDirectories(Path.Combine(_data.FullName, "test-results")).Select(Path.GetFileName), Is.EqualTo(new[] { "20260103-000000" }));
        }
    }

    [Test]
    public async Task DockerdsLogIsRotatedBeforeAnEngineStartsWhenItIsLarge()
    {
        var log = Path.Combine(_data.FullName, "dockerd.log");
        await File.WriteAllBytesAsync(log, new byte[1500]);

        var output = await RunAsync("rotate_if_large \"$DATA/dockerd.log\"; echo small > \"$DATA/dockerd.log\"; rotate_if_large \"$DATA/dockerd.log\"");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new FileInfo(log + ".1").Length, Is.EqualTo(1500), output);
            Assert.That(await File.ReadAllTextAsync(log), Is.EqualTo("small\n"), "a small log stays where it is");
        }
    }

    /// <summary>Runs <paramref name="script"/> in bash with eng/log-rotation.sh sourced, limits small enough to reach.</summary>
    private async Task<string> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"set -euo pipefail; source eng/log-rotation.sh\n{script}"])
        {
            WorkingDirectory = Checkout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DATA"] = _data.FullName,
                ["WEBIDE_LOG_MAX_BYTES"] = "1000",
                ["WEBIDE_LOG_KEEP"] = "2",
                ["WEBIDE_RESULTS_KEEP"] = "1",
            },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output + await errors;
        Assert.That(process.ExitCode, Is.Zero, text);
        return text;
    }
}
