using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Events;
using WebIde.Collaboration.Persistence;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Tests.Shared;

namespace WebIde.Collaboration.UnitTests;

public sealed class CompositionTests() : ServiceCompositionTests("collaboration", validatesTokens: true, Extensions.AddApplicationServices, keepsContent: true)
{
    // The AppHost gives the service credentials for its calls to filesystem (WithServiceCredentials).
    protected override void Configure(ServiceHostBuilder host)
    {
        host.Settings["ServiceClient:Id"] = "collaboration";
        host.Settings["ServiceClient:Secret"] = "secret";
    }

    [TestCase(typeof(DocumentHub))]
    [TestCase(typeof(DocumentStore))]
    [TestCase(typeof(InstanceLiveness))]
    [TestCase(typeof(GroupCommitter))]
    [TestCase(typeof(FileSource))]
    [TestCase(typeof(FileRemovals))]
    [TestCase(typeof(ConnectionRegistry))]
    [TestCase(typeof(InstanceIdentity))]
    [TestCase(typeof(CollaborationMetrics))]
    [TestCase(typeof(TimeProvider))]
    public async Task EachCollaborationServiceResolvesOnceForTheWholeApp(Type service)
    {
        using var host = NewHost();
        await using var app = host.Build();

        var first = app.Services.GetRequiredService(service);

        Assert.That(app.Services.GetRequiredService(service), Is.SameAs(first), "one for every connection and document");
    }

    [TestCase(typeof(FileChangedConsumer))]
    [TestCase(typeof(FileDeletedConsumer))]
    [TestCase(typeof(FileMovedConsumer))]
    [TestCase(typeof(WorkspaceDeletedConsumer))]
    [TestCase(typeof(ConnectionAccessConsumer))]
    public async Task EachConsumerResolves(Type consumer)
    {
        using var host = NewHost();
        await using var app = host.Build();
        await using var scope = app.Services.CreateAsyncScope();

        Assert.That(scope.ServiceProvider.GetRequiredService(consumer), Is.InstanceOf(consumer));
    }

    [Test]
    public async Task TheHeartbeatAndTheSnapshotWriterRunInTheBackground()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var hosted = app.Services.GetServices<IHostedService>().Select(service => service.GetType()).ToList();

        Assert.That(hosted, Does.Contain(typeof(InstanceHeartbeat)).And.Contain(typeof(SnapshotWriter)));
    }

    [Test]
    public async Task TheCollaborationLimitsComeFromConfiguration()
    {
        using var host = NewHost();
        host.Settings["Collaboration:MaxMessageBytes"] = "4096";
        host.Settings["Collaboration:MessagesPerSecond"] = "7";
        await using var app = host.Build();

        var options = app.Services.GetRequiredService<IOptions<CollaborationOptions>>().Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.MaxMessageBytes, Is.EqualTo(4096));
            Assert.That(options.MessagesPerSecond, Is.EqualTo(7));
            Assert.That(options.MessageBurst, Is.EqualTo(100), "a default stays when not configured");
        }
    }

    [Test]
    public async Task ALimitOutOfRangeFailsAtStartNamingIt()
    {
        using var host = NewHost();
        host.Settings["Collaboration:MaxMessageBytes"] = "10";
        await using var app = host.Build();

        Assert.That(() => app.StartAsync(), Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains(nameof(CollaborationOptions.MaxMessageBytes)));
    }

    [Test]
    public async Task TheFileEventConsumersHaveTheServicesOwnQueues()
    {
        using var host = NewHost();
        await using var app = host.Build();

        var formatter = app.Services.GetRequiredService<IEndpointNameFormatter>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(formatter.Consumer<FileChangedConsumer>(), Does.StartWith("collaboration-"));
            Assert.That(formatter.Consumer<WorkspaceDeletedConsumer>(), Is.EqualTo("collaboration-workspace-deleted"));
        }
    }
}
