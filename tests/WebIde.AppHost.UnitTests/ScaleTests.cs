using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace WebIde.AppHost.UnitTests;

/// <summary>
/// <c>./webide up --scale N</c> (<c>WebIde:Scale</c>): N instances of every service and of the gateway, which callers
/// reach in turn under the service's name, and which share their service's store and credentials.
/// </summary>
public sealed class ScaleTests
{
    private static readonly string[] Scaled = ["identity", "filesystem", "execution", "gateway"];

    [Test]
    public async Task EveryServiceAndTheGatewayRunAsManyInstancesAsAskedAndCollaborationAtLeastTwo()
    {
        await using var one = await AppModel.BuildAsync();
        await using var three = await AppModel.BuildAsync("--WebIde:Scale=3");

        static string[] Projects(IDistributedApplicationTestingBuilder builder) =>
            [.. builder.Resources.OfType<ProjectResource>().Select(project => project.Name).Where(name => name != "docker-gate").Order()];

        Assert.Multiple(() =>
        {
            Assert.That(Projects(one), Is.EqualTo(new[] { "collaboration-1", "collaboration-2", "execution", "filesystem", "gateway", "identity" }));
            Assert.That(Projects(three), Is.EqualTo(new[]
            {
                "collaboration-1", "collaboration-2", "collaboration-3", "execution", "execution-2", "execution-3",
                "filesystem", "filesystem-2", "filesystem-3", "gateway", "gateway-2", "gateway-3", "identity", "identity-2", "identity-3",
            }));
        });
    }

    [Test]
    public async Task ACallerFindsEveryInstanceUnderTheServicesName()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Scale=2");

        var filesystem = await builder.Resource<ProjectResource>("filesystem-2").ManifestEnvironmentAsync();

        Assert.Multiple(() =>
        {
            Assert.That(filesystem["services__identity__http__0"], Does.Contain("identity.bindings.http"));
            Assert.That(filesystem["services__identity__http__1"], Does.Contain("identity-2.bindings.http"));
            Assert.That(filesystem["services__identity__grpc__1"], Does.Contain("identity-2.bindings.grpc"));
            Assert.That(filesystem.Keys, Has.None.StartsWith("services__identity-2__"), "the second instance is no service of its own");
        });
    }

    [Test]
    public async Task TheGatewaysShareTheirPublicPortsAndEveryCollaborationInstanceIsADestination()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Scale=3", "--WebIde:HttpPort=0", "--WebIde:GrpcPort=0");

        var gateways = new[] { "gateway", "gateway-2", "gateway-3" }.Select(name => builder.Resource<ProjectResource>(name)).ToList();
        var ports = gateways.Select(gateway => gateway.Annotations.OfType<EndpointAnnotation>().Select(endpoint => (endpoint.Name, endpoint.Port)).Order().ToList()).ToList();
        var environment = await gateways[2].ManifestEnvironmentAsync();

        Assert.Multiple(() =>
        {
            Assert.That(ports[0].Select(endpoint => endpoint.Port), Is.All.Not.Null, "port 0 picks one free port for all, not one each");
            Assert.That(ports, Is.All.EqualTo(ports[0]));
            Assert.That(environment["Gateway__ShareListenPorts"], Is.EqualTo("true"));
            Assert.That(environment["ReverseProxy__Clusters__collaboration-sockets__Destinations__collaboration-3__Address"], Is.EqualTo("https+http://collaboration-3"));
        });
    }

    [Test]
    public async Task InstancesShareTheirServicesStoreAndCredentials()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Scale=2");

        foreach (var service in Scaled.Where(service => service != "gateway"))
        {
            var first = await builder.Resource<ProjectResource>(service).ManifestEnvironmentAsync();
            var second = await builder.Resource<ProjectResource>($"{service}-2").ManifestEnvironmentAsync();
            Assert.That(second["ConnectionStrings__store"], Is.EqualTo(first["ConnectionStrings__store"]), service);
            if (service != "identity")
            {
                Assert.That(second["ServiceClient__Id"], Is.EqualTo(service));
                Assert.That(second["ServiceClient__Secret"], Is.EqualTo(first["ServiceClient__Secret"]), service);
            }
        }

        var identities = new[] { "identity", "identity-2" }.Select(name => builder.Resource<ProjectResource>(name).ManifestEnvironmentAsync());
        var known = (await Task.WhenAll(identities)).Select(environment => environment.Keys.Where(key => key.StartsWith("ServiceClients__", StringComparison.Ordinal)).Order().ToList()).ToList();
        Assert.That(known[1], Is.EqualTo(known[0]).And.Not.Empty, "every identity instance knows every service's secret");
    }

    [Test]
    public async Task AnInstanceReportsItselfAsItsServiceButCollaborationsInstancesStayApart()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Scale=2");

        async Task<string> ServiceNameOf(string resource) =>
            (await builder.Resource<ProjectResource>(resource).RunEnvironmentAsync())["OTEL_SERVICE_NAME"];

        Assert.Multiple(async () =>
        {
            // Problems name the service, and its events are consumed once for all its instances (one queue).
            Assert.That(await ServiceNameOf("filesystem-2"), Is.EqualTo("filesystem"));
            Assert.That(await ServiceNameOf("gateway-2"), Is.EqualTo("gateway"));
            // Each collaboration instance hears every event on queues of its own: it keeps the name the
            // orchestrator fills in for every resource, its own.
            Assert.That(await ServiceNameOf("collaboration-2"), Is.Not.EqualTo("collaboration").And.EqualTo(await ServiceNameOf("docker-gate")));
        });
    }

    [TestCase("0")]
    [TestCase("9")]
    [TestCase("two")]
    public void AScaleOutOfRangeIsRefusedWithTheSettingsName(string scale)
    {
        var refused = Assert.ThrowsAsync<InvalidOperationException>(async () => await (await AppModel.BuildAsync($"--WebIde:Scale={scale}")).DisposeAsync());
        Assert.That(refused!.Message, Does.Contain("WebIde:Scale"));
    }
}
