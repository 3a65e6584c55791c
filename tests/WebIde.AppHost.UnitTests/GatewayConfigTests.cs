using Aspire.Hosting.ApplicationModel;

namespace WebIde.AppHost.UnitTests;

/// <summary><c>./webide up --gateway-config FILE</c>: extra gateway configuration, e.g. a benchmark's route.</summary>
public sealed class GatewayConfigTests
{
    [Test]
    public async Task TheFileReachesTheGatewayOnlyAsEnvironmentVariables()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gateway-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {
              "ReverseProxy": {
                "Routes": { "bench-route": { "ClusterId": "bench-cluster", "Match": { "Path": "/ws/bench/x" } } },
                "Clusters": { "bench-cluster": { "Destinations": { "d": { "Address": "http://127.0.0.1:18470" } } } }
              }
            }
            """);
        try
        {
            await using var builder = await AppModel.BuildAsync($"--WebIde:GatewayConfig={file}");

            var gateway = await builder.Resource<ProjectResource>("gateway").ManifestEnvironmentAsync();
            var collaboration = await builder.Resource<ProjectResource>("collaboration-1").ManifestEnvironmentAsync();

            Assert.Multiple(() =>
            {
                Assert.That(gateway["ReverseProxy__Routes__bench-route__ClusterId"], Is.EqualTo("bench-cluster"));
                Assert.That(gateway["ReverseProxy__Routes__bench-route__Match__Path"], Is.EqualTo("/ws/bench/x"));
                Assert.That(gateway["ReverseProxy__Clusters__bench-cluster__Destinations__d__Address"], Is.EqualTo("http://127.0.0.1:18470"));
                Assert.That(collaboration.Keys, Has.None.StartsWith("ReverseProxy__"));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task WithoutTheOptionTheGatewayGetsNoReverseProxySettings()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:GatewayConfig=");

        var gateway = await builder.Resource<ProjectResource>("gateway").ManifestEnvironmentAsync();

        Assert.That(gateway.Keys, Has.None.StartsWith("ReverseProxy__"));
    }

    [Test]
    public void AMissingFileIsRefusedWithItsPath()
    {
        var file = Path.Combine(Path.GetTempPath(), $"no-such-gateway-config-{Guid.NewGuid():N}.json");

        var error = Assert.ThrowsAsync<FileNotFoundException>(() => AppModel.BuildAsync($"--WebIde:GatewayConfig={file}"));

        Assert.That(error!.Message, Does.Contain(file));
    }
}
