using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.IntegrationTests.Transport;

/// <summary>
/// <c>./webide up --production</c> (issue 16, least privilege; docs/platform.md "Production mode"): the services and the
/// gateway run as a user of their own, with no other group and no way back to more, and that user reaches neither
/// the Docker engine nor the installation's secrets. Only a run that boots them so can show it
/// (<c>WEBIDE_TEST_SERVICE_USER=webide</c>, which <c>./webide test</c>'s TLS pass sets when it runs as root).
/// </summary>
public sealed class LeastPrivilegeTests
{
    private static readonly string[] Processes = ["identity", "filesystem", "collaboration-1", "collaboration-2", "execution", "gateway"];

    private const string DockerSocket = "/var/run/docker.sock";

    private (int Uid, int Gid) _user;

    [SetUp]
    public void RequireServiceUser()
    {
        var name = Platform.ServiceUser;
        if (name is null)
        {
            Assert.Ignore("The platform was booted with its services as the runner's own user: run with WEBIDE_TEST_SERVICE_USER=webide (./webide test's TLS pass does, as root).");
            return;
        }
        var fields = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).Single(fields => fields[0] == name);
        _user = (int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task EveryServiceAndTheGatewayRunAsTheServiceUserWithNoOtherGroupAndNoNewPrivileges()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var name in Processes)
        {
            // Another test may have just restarted it: its running process is the one to look at.
            var snapshot = await ProcessTable.WaitForAsync(name, "a running process",
                current => ResourceProcess.PidOf(current) is not null && current.State?.Text == KnownResourceStates.Running, deadline.Token);
            var status = Status(ResourceProcess.PidOf(snapshot)!.Value);

            using (Assert.EnterMultipleScope())
            {
                // real, effective, saved, file system
                Assert.That(status["Uid"], Is.EqualTo(Enumerable.Repeat(_user.Uid.ToString(CultureInfo.InvariantCulture), 4)), $"{name}: user ids");
                Assert.That(status["Gid"], Is.EqualTo(Enumerable.Repeat(_user.Gid.ToString(CultureInfo.InvariantCulture), 4)), $"{name}: group ids");
                Assert.That(status["Groups"], Is.Empty, $"{name}: supplementary groups");
                Assert.That(status["NoNewPrivs"], Is.EqualTo(new[] { "1" }), $"{name}: no_new_privs");
                Assert.That(status["Name"].Single(), Does.StartWith("WebIde."), $"{name}: setpriv became the service's binary");
            }
        }
    }

    [Test]
    public void TheServiceUserCannotConnectToTheDockerEngine()
    {
        if (!File.Exists(DockerSocket))
        {
            Assert.Ignore($"{DockerSocket} does not exist: the Docker engine is not running.");
        }
        const string Connect = $"import socket; s = socket.socket(socket.AF_UNIX); s.connect('{DockerSocket}'); print('connected')";

        var (exitCode, output) = AsServiceUser("/usr/bin/python3", "-c", Connect);

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("PermissionError").And.Not.Contain("connected"));
    }

    [Test]
    public void TheServiceUserCannotReadTheInstallationsSecretsNorListTheDataFolder()
    {
        string[] closed = [Path.Combine(Platform.DataDir, "secrets", "redis-password"), Path.Combine(Platform.DataDir, "redis")];
        using (Assert.EnterMultipleScope())
        {
            foreach (var path in closed)
            {
                Assert.That(File.Exists(path) || Directory.Exists(path), Is.True, $"{path} is there to be refused");
                Assert.That(AsServiceUser("/usr/bin/test", "-r", path).ExitCode, Is.Not.Zero, $"{path} is readable by the services' user");
            }
            Assert.That(AsServiceUser("/usr/bin/ls", Platform.DataDir).ExitCode, Is.Not.Zero, "the services' user may pass through the data folder, not list it");
            if (GatewayTls.Enabled)
            {
                Assert.That(AsServiceUser("/usr/bin/test", "-r", Path.Combine(Platform.DataDir, "tls", "ca.key")).ExitCode, Is.Not.Zero, "the CA's key is the platform's alone");
            }
        }
    }

    /// <summary>The fields of /proc/PID/status, each split at white space.</summary>
    private static Dictionary<string, string[]> Status(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Runs a program as the services run: the services' user and group, no other group.</summary>
    private (int ExitCode, string Output) AsServiceUser(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[$"--reuid={_user.Uid}", $"--regid={_user.Gid}", "--clear-groups", "--", program, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            Assert.Fail($"{program} as the services' user did not end within 30 s");
        }
        return (process.ExitCode, output + error.Result);
    }
}
