using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Docker;

/// <summary>What the engine says a started sandbox is: every lock the issue lists, as applied, not as asked.</summary>
public sealed class SandboxFactoryDockerTests
{
    [Test]
    public async Task ASandboxIsStartedLockedDown()
    {
        using var docker = new RealDocker();
        await using var sandbox = await docker.Factory.StartAsync(new SandboxShape(128L << 20), new Dictionary<string, string>(), TimeSpan.FromMinutes(5), CancellationToken.None);

        var inspected = await docker.Client.Containers.InspectContainerAsync(sandbox.Id);
        var host = inspected.HostConfig;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inspected.State.Running, Is.True);
            Assert.That(inspected.Config.User, Is.EqualTo("10000:10000"), "never root");
            // The image's own defaults and ours; programs get an environment built by the agent anyway.
            Assert.That(inspected.Config.Env.Select(variable => variable.Split('=')[0]), Is.SubsetOf(new[] { "PATH", "LANG", "GOCACHE", "GOPATH", "GOTMPDIR" }),
                "nothing of the host or the platform");
            Assert.That(host.CapDrop, Does.Contain("ALL"));
            Assert.That(host.CapAdd ?? [], Is.Empty);
            Assert.That(host.SecurityOpt, Does.Contain("no-new-privileges"));
            Assert.That(host.SecurityOpt.Count(option => option.StartsWith("seccomp={", StringComparison.Ordinal)), Is.EqualTo(1), "the sandbox's own profile, not Docker's default");
            // Empty, not null: the engine reports null where it applies its defaults.
            Assert.That(host.MaskedPaths, Is.Not.Null.And.Empty, "the jail masks them inside: the kernel would refuse its /proc otherwise");
            Assert.That(host.ReadonlyPaths, Is.Not.Null.And.Empty);
            Assert.That(host.ReadonlyRootfs, Is.True);
            Assert.That(host.NetworkMode, Is.EqualTo("none"));
            Assert.That(host.Privileged, Is.False);
            Assert.That(host.Memory, Is.EqualTo(128L << 20));
            Assert.That(host.MemorySwap, Is.EqualTo(128L << 20), "no swap beyond the memory limit");
            Assert.That(host.PidsLimit, Is.EqualTo(docker.Sandbox.PidsLimit));
            Assert.That(host.NanoCPUs, Is.EqualTo(1_000_000_000));
            Assert.That(host.Tmpfs["/sandbox"], Does.Contain("exec").And.Contain($"size={32L << 20}"), "a quarter of the memory");
            Assert.That(host.Ulimits.Select(limit => limit.Name), Is.SupersetOf(new[] { "fsize", "nofile", "core" }));
            Assert.That(host.LogConfig.Type, Is.EqualTo("none"), "output is not kept on the engine's disk");
            Assert.That(host.Binds ?? [], Is.Empty, "no host path inside");
            Assert.That(inspected.Config.Labels[SandboxLabels.Managed], Is.EqualTo("true"));
            Assert.That(long.Parse(inspected.Config.Labels[SandboxLabels.Expires], System.Globalization.CultureInfo.InvariantCulture),
                Is.GreaterThan(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        }
    }
}
