using Aspire.Hosting.Testing;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>A sandbox has no network: not the internet, not names, not the platform's own services on the host.</summary>
[Order(6)]
public sealed class NetworkTests
{
    private AbuseWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspaceAsync() => _workspace = await AbuseWorkspace.CreateAsync("network");

    [OneTimeTearDown]
    public void DisposeWorkspace() => _workspace.Dispose();

    [Test]
    public async Task NoAddressCanBeReachedAndNoNameResolved()
    {
        var gateway = Platform.App.GetEndpoint("gateway", "http").Port;
        var grpc = Platform.GrpcAddress.Port;
        var redis = await RedisPortAsync();
        // The internet, then the host as the sandbox could address it: its loopback (inside
        // the sandbox that is the sandbox's own), the docker bridge and its own address.
        string[] targets =
        [
            "1.1.1.1:80", "8.8.8.8:53",
            $"127.0.0.1:{gateway}", $"127.0.0.1:{grpc}", $"127.0.0.1:{redis}",
            $"172.17.0.1:{gateway}", $"172.17.0.1:{redis}", "172.17.0.1:2375", "172.17.0.1:22",
            $"192.0.2.2:{gateway}",
        ];

        var probe = await _workspace.RunAsync("net.py", AbuseWorkspace.PythonPrelude + $$"""
            import os, socket
            print("interfaces", sorted(os.listdir("/sys/class/net")))
            for target in "{{string.Join(' ', targets)}}".split():
                host, port = target.split(":")
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.settimeout(3)
                try:
                    s.connect((host, int(port)))
                    print(target, "CONNECTED")
                except OSError as error:
                    print(target, "connect failed:", type(error).__name__)
                finally:
                    s.close()
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                u.sendto(b"x", ("1.1.1.1", 53))
                print("udp SENT")
            except OSError as error:
                print("udp send failed:", type(error).__name__)
            for name in ["example.com", "host.docker.internal", "gateway"]:
                try:
                    print(name, "RESOLVED", socket.getaddrinfo(name, 80)[0][4])
                except socket.gaierror as error:
                    print(name, "not resolved")
            """);

        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(probe.Status, Is.EqualTo("ok"), probe.ToString());
            Assert.That(lines, Has.Count.EqualTo(1 + targets.Length + 1 + 3), probe.ToString());
            Assert.That(lines[0], Is.EqualTo("interfaces ['lo']"));
            foreach (var target in targets)
            {
                Assert.That(lines, Has.Some.StartsWith($"{target} connect failed:"), probe.ToString());
            }
            Assert.That(lines, Has.Some.StartsWith("udp send failed:"), probe.ToString());
            Assert.That(lines, Has.Some.EqualTo("example.com not resolved"));
            Assert.That(lines, Has.Some.EqualTo("host.docker.internal not resolved"));
            Assert.That(lines, Has.Some.EqualTo("gateway not resolved"));
            Assert.That(probe.Stdout, Does.Not.Contain("CONNECTED").And.Not.Contain("SENT").And.Not.Contain("RESOLVED"));
        });
        await _workspace.AssertNextRunIsHealthyAsync();
    }

    private static async Task<int> RedisPortAsync()
    {
        var connection = await Platform.App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("no redis connection string");
        var endpoint = connection.Split(',')[0];
        return int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
