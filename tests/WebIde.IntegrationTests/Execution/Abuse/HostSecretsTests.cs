namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>What a program can read is the runner image's, never the host's or the platform's.</summary>
[Order(7)]
public sealed class HostSecretsTests
{
    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("secrets");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task NoProcessInTheSandboxHasThePlatformsSettingsOrTheUsersToken()
    {
        var probe = await _workspace.RunAsync("env.sh", AbuseWorkspace.BashPrelude + """
            echo "== env"
            env
            for pid in /proc/[0-9]*; do
                echo "== $pid/environ"
                tr '\0' '\n' < "$pid/environ"
                echo "== $pid/cmdline"
                tr '\0' ' ' < "$pid/cmdline" | head -c 300
                echo
            done
            echo "== passwd"
            cat /etc/passwd
            echo "== hostname $(cat /etc/hostname)"
            for socket in /var/run/docker.sock /run/docker.sock /run/containerd/containerd.sock; do
                if [ -e "$socket" ]; then echo "$socket PRESENT"; else echo "$socket absent"; fi
            done
            """);

        Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
        Assert.Multiple(() =>
        {
            // The jail's PID 1 is bwrap's init, started by the agent with an empty environment; the agent
            // itself is in none of the jail's namespaces, so not among these processes at all.
            Assert.That(probe.Stdout, Does.Contain("== /proc/1/environ\n== /proc/1/cmdline\n/usr/bin/bwrap "), probe.ToString());
            Assert.That(probe.Stdout, Does.Not.Contain("python3 -I -S -c"), "the agent is not visible");
            Assert.That(probe.Stdout, Does.Contain("HOME=/sandbox/"), "the program's environment is shown");
            foreach (var secret in new[] { "ConnectionStrings", "Identity__", "client-secret", "ClientSecret", "Sandbox__", "ASPIRE", "OTEL", "DOTNET", "services__", "Redis", "amqp", _workspace.AccessToken })
            {
                Assert.That(probe.Stdout, Does.Not.Contain(secret).IgnoreCase, $"{secret[..Math.Min(secret.Length, 20)]} is visible in the sandbox");
            }
            Assert.That(probe.Stdout, Does.Contain("\nrunner:x:10000:10000:"), "/etc/passwd is the runner image's");
            Assert.That(probe.Stdout, Does.Contain("== hostname sandbox\n"));
            Assert.That(probe.Stdout, Does.Contain("/var/run/docker.sock absent\n/run/docker.sock absent\n/run/containerd/containerd.sock absent\n"));
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }
}
