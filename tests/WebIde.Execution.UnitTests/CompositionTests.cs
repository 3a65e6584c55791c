using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.AspNetCore.Server;
using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebIde.Execution.Events;
using WebIde.Execution.Grpc;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests;

public sealed class CompositionTests() : ServiceCompositionTests("execution", validatesTokens: true, Extensions.AddApplicationServices)
{
    private const string RunnerImage = "webide-runner:3f2a9c";
    private const string Installation = "/home/ada/webide/.data";

    protected override void Configure(ServiceHostBuilder host)
    {
        host.Settings["Sandbox:RunnerImage"] = RunnerImage;
        host.Settings["Sandbox:Installation"] = Installation;
    }

    [Test]
    public async Task HealthCoversDockerAndTheRunnerImage()
    {
        using var host = NewHost();
        await using var app = host.Build();

        Assert.That(ServiceHostBuilder.HealthChecks(app), Does.Contain("docker"));
    }

    [Test]
    public async Task TheSandboxOptionsComeFromConfiguration()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var options = app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value;

        Assert.That(options.RunnerImage, Is.EqualTo(RunnerImage));
        Assert.That(options.Installation, Is.EqualTo(Installation));
        Assert.That(options.DockerEndpoint, Is.EqualTo("unix:///var/run/docker.sock"));
    }

    [Test]
    public async Task WithoutAnInstallationTheSandboxOptionsFailNamingIt()
    {
        // Without it, sandboxes could not be told from another checkout's on the same machine.
        using var host = NewHost();
        host.Settings["Sandbox:Installation"] = null;
        await using var app = host.Build();

        Assert.That(() => app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value,
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains(nameof(SandboxOptions.Installation)));
    }

    [Test]
    public async Task TheConsumersQueueIsPrefixedWithTheServiceName()
    {
        // Every service that consumes WorkspaceDeleted needs a queue of its own, or they would
        // compete for each event instead of each getting it.
        using var host = NewHost();
        await using var app = host.Build();

        var formatter = app.Services.GetRequiredService<IEndpointNameFormatter>();

        Assert.That(formatter.Consumer<WorkspaceDeletedConsumer>(), Is.EqualTo("execution-workspace-deleted"));
    }

    [Test]
    public async Task TheBusReceivesWorkspaceDeletedOnADurableQueueOfItsOwn()
    {
        using var host = NewHost();
        await using var app = host.Build();

        // Building the bus configures its endpoints; nothing connects until it starts.
        var probe = JsonSerializer.SerializeToNode(app.Services.GetRequiredService<IBusControl>().GetProbeResult())!;
        var endpoints = ReceiveEndpoints(probe).ToList();
        var queue = endpoints.SingleOrDefault(endpoint => endpoint["name"]?.GetValue<string>() == "execution-workspace-deleted");

        Assert.That(queue, Is.Not.Null, probe.ToJsonString());
        var transport = queue!["receiveTransport"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(transport["durable"]?.GetValue<bool>(), Is.True, "events wait in the queue while the service restarts");
            Assert.That(transport["autoDelete"]?.GetValue<bool>(), Is.False);
            Assert.That(transport.ToJsonString(), Does.Contain("\"source\":\"WebIde.Contracts.Events:WorkspaceDeleted\""));
        }
    }

    [Test]
    public async Task EachInstanceHearsWorkspaceDeletedForItsRunsOnATemporaryQueueOfItsOwn()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var probe = JsonSerializer.SerializeToNode(app.Services.GetRequiredService<IBusControl>().GetProbeResult())!;
        var queue = ReceiveEndpoints(probe).SingleOrDefault(endpoint =>
            endpoint["name"]?.GetValue<string>() is { } name && name.StartsWith("execution-workspace-runs-", StringComparison.Ordinal));

        Assert.That(queue, Is.Not.Null, probe.ToJsonString());
        var name = queue!["name"]!.GetValue<string>();
        var transport = queue["receiveTransport"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(name, Does.EndWith($"-{Environment.ProcessId}"), "one queue per process");
            Assert.That(transport["durable"]?.GetValue<bool>(), Is.False, "it goes with the instance");
            Assert.That(transport.ToJsonString(), Does.Contain("\"source\":\"WebIde.Contracts.Events:WorkspaceDeleted\""));
        }
    }

    private static IEnumerable<JsonNode> ReceiveEndpoints(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["receiveEndpoint"] as JsonArray ?? []).OfType<JsonNode>()
            .Concat(obj.Where(property => property.Key != "receiveEndpoint").SelectMany(property => ReceiveEndpoints(property.Value))),
        JsonArray array => array.SelectMany(ReceiveEndpoints),
        _ => [],
    };

    [Test]
    public async Task TheLanguageListNeedsNoToken()
    {
        using var host = NewHost();
        await using var app = host.Build();
        app.MapApplicationEndpoints();

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>();
        var languages = endpoints.Single(endpoint => endpoint.RoutePattern.RawText == "/api/languages");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(languages.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods, Is.EqualTo(new[] { "GET" }));
            Assert.That(languages.Metadata.GetMetadata<IAllowAnonymous>(), Is.Not.Null, "docs/api.md §5: no token needed");
        }
    }

    [Test]
    public async Task TheGrpcServerReadsNoMessageLongerThanTheLargestValidRequest()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var grpc = app.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        var expected = RunMessageLimit.MaxBytes(app.Services.GetRequiredService<IOptions<RunsOptions>>().Value, app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value);

        Assert.That(grpc.MaxReceiveMessageSize, Is.EqualTo(expected));
    }

    [Test]
    public async Task EveryCatalogLanguageGetsAWarmPool()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var options = app.Services.GetRequiredService<IOptions<WarmPoolOptions>>().Value;

        Assert.That(options.Languages, Is.EqualTo(app.Services.GetRequiredService<LanguageCatalog>().Names));
    }

    [Test]
    public async Task AMissingRunnerImageFailsAtStart()
    {
        using var host = new ServiceHostBuilder(Service, Extensions.AddApplicationServices);
        await using var app = host.Build();

        Assert.That(() => app.StartAsync(), Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains(nameof(SandboxOptions.RunnerImage)));
    }
}
