using System.Diagnostics;

namespace WebIde.Tests.Shared;

/// <summary>The runner image tag the AppHost gives the execution service: a hash of the image's definition.</summary>
public static class RunnerImage
{
    public static string Tag { get; } = PrintTag();

    private static string PrintTag()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "WebIde.sln")))
        {
            folder = folder.Parent;
        }
        var start = new ProcessStartInfo("bash", ["deploy/runner/build.sh", "--print-tag"])
        {
            WorkingDirectory = folder?.FullName ?? throw new InvalidOperationException("WebIde.sln was not found above the tests"),
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var tag = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? tag : throw new InvalidOperationException("build.sh --print-tag failed");
    }
}
