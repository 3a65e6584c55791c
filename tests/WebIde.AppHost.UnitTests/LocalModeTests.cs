using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Infrastructure;
using WebIde.AppHost.Sandbox;

namespace WebIde.AppHost.UnitTests;

public sealed class LocalModeTests
{
    private static readonly string[] Services = ["identity", "filesystem", "collaboration-1", "collaboration-2", "execution"];

    [Test]
    public async Task IsTheDefaultAndRunsRedisAndRabbitMqAsLocalProcesses()
    {
        await using var builder = await AppModel.BuildAsync();

        var redis = builder.Resource<LocalRedisResource>("redis");
        var args = await redis.ManifestArgumentsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(args, Is.SupersetOf(new[] { "--appendonly", "yes" }), "Redis must persist what collaboration acknowledges");
            Assert.That(builder.Resource<LocalRabbitMqResource>("rabbitmq"), Is.Not.Null);
            Assert.That(builder.Resource<EpmdResource>("rabbitmq-epmd"), Is.Not.Null);
            Assert.That(builder.Resources.OfType<MongoServerResource>(), Is.Empty);
            Assert.That(builder.Resources.OfType<ContainerResource>(), Is.Empty, "local mode must not need any container image");
        });
    }

    [Test]
    public async Task GivesEveryServiceItsOwnSqliteFileUnderTheDataFolderSharedByItsInstances()
    {
        await using var builder = await AppModel.BuildAsync();

        var files = new Dictionary<string, HashSet<string>>();
        foreach (var instance in Services)
        {
            var service = instance.Split('-')[0];
            var environment = await builder.Resource<ProjectResource>(instance).ManifestEnvironmentAsync();
            Assert.That(environment["ConnectionStrings__store"], Does.StartWith("Data Source=").And.EndWith($"{Path.DirectorySeparatorChar}{service}{Path.DirectorySeparatorChar}{service}.db"));
            files.TryAdd(service, []);
            files[service].Add(environment["ConnectionStrings__store"]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(files.Values.Select(set => set.Count), Is.All.EqualTo(1), "the instances of a service share one store");
            Assert.That(files.Values.Select(set => set.Single()), Is.Unique, "no two services share a store");
        });
    }

    [Test]
    public async Task ExposesOnlyTheGatewayOnFixedPorts()
    {
        await using var builder = await AppModel.BuildAsync();

        var gatewayPorts = builder.Resource<ProjectResource>("gateway").Annotations.OfType<EndpointAnnotation>()
            .ToDictionary(endpoint => endpoint.Name, endpoint => endpoint.Port);
        var servicePorts = Services.SelectMany(service => builder.Resource<ProjectResource>(service).Annotations.OfType<EndpointAnnotation>())
            .Select(endpoint => endpoint.Port);

        Assert.Multiple(() =>
        {
            Assert.That(gatewayPorts["http"], Is.EqualTo(8080));
            Assert.That(gatewayPorts["grpc"], Is.EqualTo(8081));
            Assert.That(servicePorts, Is.All.Null, "a fixed service port would stop tests booting beside ./webide up");
        });
    }

    [Test]
    public async Task ServicesRedisAndRabbitMqAreReachedWithoutTheOrchestratorsProxy()
    {
        await using var builder = await AppModel.BuildAsync();

        IResource[] resources = [.. Services.Select(service => builder.Resource<ProjectResource>(service)),
            builder.Resource<LocalRedisResource>("redis"), builder.Resource<LocalRabbitMqResource>("rabbitmq")];
        var endpoints = resources.SelectMany(resource => resource.Annotations.OfType<EndpointAnnotation>()
            .Select(endpoint => (Name: $"{resource.Name}/{endpoint.Name}", endpoint.IsProxied))).ToList();

        Assert.That(endpoints, Is.Not.Empty);
        Assert.That(endpoints.Where(endpoint => endpoint.IsProxied).Select(endpoint => endpoint.Name), Is.Empty,
            "a proxied endpoint puts a process copying every frame between caller and service");
    }

    [Test]
    public async Task PortsCanBeChosenOrLeftToTheOrchestrator()
    {
        await using var chosen = await AppModel.BuildAsync("--WebIde:HttpPort=9080", "--WebIde:GrpcPort=9081");
        await using var free = await AppModel.BuildAsync("--WebIde:HttpPort=0", "--WebIde:GrpcPort=0");

        var chosenPorts = chosen.Resource<ProjectResource>("gateway").Annotations.OfType<EndpointAnnotation>().Select(endpoint => endpoint.Port);
        var freePorts = free.Resource<ProjectResource>("gateway").Annotations.OfType<EndpointAnnotation>().Select(endpoint => endpoint.Port);

        Assert.That(chosenPorts, Is.EquivalentTo(new int?[] { 9080, 9081 }));
        Assert.That(freePorts, Is.All.Null);
    }

    [Test]
    public async Task ExecutionWaitsForTheRunnerImageAndIsToldItsTag()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:RunnerImage=webide-runner:0123456789ab");

        var execution = builder.Resource<ProjectResource>("execution");
        var environment = await execution.ManifestEnvironmentAsync();
        var waits = execution.Annotations.OfType<WaitAnnotation>().Select(wait => (wait.Resource.Name, wait.WaitType));

        Assert.Multiple(() =>
        {
            Assert.That(environment["Sandbox__RunnerImage"], Is.EqualTo("webide-runner:0123456789ab"));
            Assert.That(builder.Resource<RunnerImageResource>("runner-image").Tag, Is.EqualTo("webide-runner:0123456789ab"));
            Assert.That(waits, Does.Contain(("runner-image", WaitType.WaitForCompletion)));
        });
    }

    [Test]
    public async Task FilesystemSettingsGivenToTheAppHostReachTheFilesystemOnly()
    {
        await using var builder = await AppModel.BuildAsync(
            "--WebIde:FileSystem:Limits:MaxWorkspaceEntries=20000",
            "--WebIde:FileSystem:Events:Heartbeat=00:00:05");

        var filesystem = await builder.Resource<ProjectResource>("filesystem").ManifestEnvironmentAsync();
        var identity = await builder.Resource<ProjectResource>("identity").ManifestEnvironmentAsync();

        Assert.Multiple(() =>
        {
            Assert.That(filesystem["FileSystem__Limits__MaxWorkspaceEntries"], Is.EqualTo("20000"));
            Assert.That(filesystem["FileSystem__Events__Heartbeat"], Is.EqualTo("00:00:05"));
            Assert.That(identity.Keys, Has.None.StartsWith("FileSystem__"));
        });
    }

    [Test]
    public void AnUnknownModeIsRefusedWithTheChoices()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.BuildAsync("--WebIde:Mode=cloud"));

        Assert.That(error!.Message, Does.Contain("'local' or 'containers'"));
    }
}
