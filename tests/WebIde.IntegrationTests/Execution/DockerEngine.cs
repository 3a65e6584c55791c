using System.Diagnostics;
using Docker.DotNet;
using WebIde.Tests.Shared;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// The machine's Docker engine, restarted the way the machine runs it: with systemd's
/// <c>docker</c> unit when systemd runs it, else as the process it is (<c>./webide</c> starts
/// <c>dockerd</c> itself when none runs): SIGTERM, then the same command line again, its output
/// appended to the checkout's <c>.data/dockerd.log</c>. Needs root.
/// </summary>
public static class DockerEngine
{
    private static readonly Uri Endpoint = new("unix:///var/run/docker.sock");

    /// <summary>Restarts the engine and returns once it answers again.</summary>
    public static async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (await RunAsync("systemctl", ["is-active", "--quiet", "docker"], cancellationToken) == 0)
        {
            await TestContext.Out.WriteLineAsync("restarting the engine: systemctl restart docker");
            Assert.That(await RunAsync("systemctl", ["restart", "docker"], cancellationToken), Is.Zero, "systemctl restart docker");
        }
        else
        {
            await RestartProcessAsync(cancellationToken);
        }
        await WaitUntilItAnswersAsync(cancellationToken);
    }

    private static async Task RestartProcessAsync(CancellationToken cancellationToken)
    {
        var pid = DockerdPid() ?? throw new InconclusiveException("no dockerd process to restart, and systemd does not run docker");
        var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        await TestContext.Out.WriteLineAsync($"restarting the engine: SIGTERM to dockerd {pid}, then {string.Join(' ', commandLine)}");

        Assert.That(await RunAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken), Is.Zero, $"kill -TERM {pid}");
        // It stops its containers first (their own stop timeouts), then exits.
        while (Directory.Exists($"/proc/{pid}"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        // Its own session, as ./webide starts it: the test run ending must not take it along.
        var log = Path.Combine(Checkout.Installation, "dockerd.log");
        Directory.CreateDirectory(Checkout.Installation);
        var start = new ProcessStartInfo("setsid") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$0\" 2>&1 </dev/null");
        start.ArgumentList.Add(log);
        foreach (var argument in commandLine)
        {
            start.ArgumentList.Add(argument);
        }
        // setsid forks when it leads a process group already; the engine goes on either way.
        using var started = Process.Start(start) ?? throw new InvalidOperationException("setsid could not be started");
    }

    private static int? DockerdPid()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid)
                && File.Exists(Path.Combine(folder, "comm"))
                && ReadOrEmpty(Path.Combine(folder, "comm")).Trim() == "dockerd")
            {
                return pid;
            }
        }
        return null;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            // The process ended while the table was read.
            return "";
        }
    }

    private static async Task WaitUntilItAnswersAsync(CancellationToken cancellationToken)
    {
        using var docker = new DockerClientConfiguration(Endpoint).CreateClient();
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await docker.System.PingAsync(attempt.Token);
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or DockerApiException or TimeoutException
                || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private static async Task<int> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The command does not exist here (no systemd).
            return 127;
        }
    }
}
