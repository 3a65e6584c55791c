using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// Long-lived connections must not be cut by YARP's 100 s default activity timeout: an idle
/// editor or a quiet event stream stays open.
/// </summary>
public sealed class ClusterTimeoutTests
{
    [TestCase("collaboration-sockets")]
    [TestCase("execution-sockets")]
    [TestCase("filesystem-streams")]
    public void StreamingClustersAllowAnHourOfSilenceAtLeast(string clusterId)
    {
        var clusters = GatewayUnderTest.Gateway.Services.GetRequiredService<IProxyConfigProvider>().GetConfig().Clusters;

        var cluster = clusters.Single(cluster => cluster.ClusterId == clusterId);

        Assert.That(cluster.HttpRequest?.ActivityTimeout, Is.GreaterThanOrEqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public void ARunThroughRestMayLastLongerThanItsLongestWallTimeLimit()
    {
        // §5: a run's wall time is at most 60 s, compiling comes on top.
        var clusters = GatewayUnderTest.Gateway.Services.GetRequiredService<IProxyConfigProvider>().GetConfig().Clusters;

        var execution = clusters.Single(cluster => cluster.ClusterId == "execution");

        Assert.That(execution.HttpRequest?.ActivityTimeout, Is.GreaterThan(TimeSpan.FromSeconds(60)));
    }

    [Test]
    public void TheGrpcClusterSpeaksHttp2Only()
    {
        var clusters = GatewayUnderTest.Gateway.Services.GetRequiredService<IProxyConfigProvider>().GetConfig().Clusters;

        var grpc = clusters.Single(cluster => cluster.ClusterId == "execution-grpc");

        Assert.That(grpc.HttpRequest?.Version, Is.EqualTo(System.Net.HttpVersion.Version20));
        Assert.That(grpc.HttpRequest?.VersionPolicy, Is.EqualTo(HttpVersionPolicy.RequestVersionExact));
    }
}
