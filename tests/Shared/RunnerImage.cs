using System.Diagnostics;

namespace WebIde.Tests.Shared;

/// <summary>The runner image tag the AppHost gives the execution service: a hash of the image's definition.</summary>
public static class RunnerImage
{
    public static string Tag { get; } = PrintTag();

    private static string PrintTag()
    {
        var start = new ProcessStartInfo("bash", ["deploy/runner/build.sh", "--print-tag"])
        {
            WorkingDirectory = Checkout.Root,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var tag = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 ? tag : throw new InvalidOperationException("build.sh --print-tag failed");
    }
}
