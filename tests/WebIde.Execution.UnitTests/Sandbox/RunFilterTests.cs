using System.Diagnostics;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Sandbox;

/// <summary>
/// The run's own seccomp filter, which agent.py builds as classic BPF: deploy/runner/jail-check.py runs every rule
/// through a BPF interpreter on both architectures and checks the syscall numbers against this machine's headers.
/// What the kernel does with it is shown by `jail-check.py host` and `jail-check.py docker`.
/// </summary>
public sealed class RunFilterTests
{
    [Test]
    public async Task EveryRuleOfTheRunsFilterDoesWhatItSays()
    {
        var start = new ProcessStartInfo("python3", ["-I", "deploy/runner/jail-check.py", "self-test"])
        {
            WorkingDirectory = Checkout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(process.ExitCode, Is.Zero, output + errors);
        Assert.That(output, Does.Contain(", 0 failures"));
    }
}
