using System.Diagnostics;

namespace WebIde.IntegrationTests;

/// <summary>The runner image tag the AppHost gives the execution service.</summary>
public static class RunnerImage
{
    public static string Tag { get; } = PrintTag();

    private static string PrintTag()
    {
        var start = new ProcessStartInfo("bash", ["deploy/runner/build.sh", "--print-tag"])
        {
            WorkingDirectory = Platform.RepositoryRoot,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var tag = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? tag : throw new InvalidOperationException("build.sh --print-tag failed");
    }
}
