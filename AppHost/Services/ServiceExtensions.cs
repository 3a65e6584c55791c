using System.Security.Cryptography;
using WebIde.AppHost.Infrastructure;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Services;

public static class ServiceExtensions
{
    /// <summary>
    /// A service behind the gateway. Its ports are picked by the orchestrator, never fixed, so
    /// that a test run can boot the platform beside a running <c>./webide up</c>. Callers reach
    /// the process itself, not through the orchestrator's proxy: a killed instance then refuses
    /// connections at once (the proxy would accept them and hang), and the calls on hot paths
    /// (collaboration's sockets, its snapshots to filesystem) do not pay for a third process
    /// copying every frame.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
        where TProject : IProjectMetadata, new()
    {
        // Healthy once it answers: readiness of its dependencies is what /health reports, and
        // the gateway aggregates that; waiting on it would keep the platform down with one of them.
        var service = builder.AddProject<TProject>(name)
            .RunBuiltBinary()
            .RunAsServiceUser(settings)
            .WithAppHostEnvironment()
            .WithLeanRuntime()
            .WithEnvironment("WebIde__Mode", settings.Mode.ToString().ToLowerInvariant())
            .WithHttpHealthCheck("/alive", endpointName: "http");
        foreach (var endpoint in service.Resource.Annotations.OfType<EndpointAnnotation>())
        {
            endpoint.Port = null;
            endpoint.IsProxied = false;
        }
        return service;
    }

    /// <summary>
    /// The service's own database: a SQLite file in its own folder of the data folder in the
    /// <c>local</c> mode (the services' user's, <see cref="PlatformSettings.ServiceFolder"/>), a
    /// database named after the service on the MongoDB server otherwise.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithStore(
        this IResourceBuilder<ProjectResource> service, PlatformSettings settings, IResourceBuilder<MongoServerResource>? mongo)
    {
        var name = service.Resource.Name;
        if (mongo is null)
        {
            var file = Path.Combine(settings.ServiceFolder(name), $"{name}.db");
            return service.WithEnvironment("ConnectionStrings__store", $"Data Source={file}");
        }

        return service
            .WithEnvironment("ConnectionStrings__store", mongo.Resource.DatabaseConnectionString(name))
            .WaitFor(mongo);
    }

    /// <summary>
    /// Client credentials with which the service gets service tokens from identity for its
    /// calls to other services. A new secret each run, shown masked in the dashboard.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceCredentials(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> identity, string? clientId = null)
    {
        // Instances of one service share its identity (and secret) towards the others.
        var name = clientId ?? service.Resource.Name;
        var application = service.ApplicationBuilder;
        var secretName = $"{name}-client-secret";
        IResourceBuilder<ParameterResource> secret;
        if (application.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == secretName) is { } existing)
        {
            secret = application.CreateResourceBuilder(existing);
        }
        else
        {
            secret = application.AddParameter(secretName, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), secret: true);
            identity.WithEnvironment($"ServiceClients__{name}", secret);
        }
        return service
            .WithEnvironment("ServiceClient__Id", name)
            .WithEnvironment("ServiceClient__Secret", secret);
    }

    /// <summary>
    /// A dependency the service cannot start without: referenced, and waited for until healthy.
    /// The local RabbitMQ is reached as the service's own user rather than the operator's.
    /// </summary>
    public static IResourceBuilder<ProjectResource> Needs(
        this IResourceBuilder<ProjectResource> service, params IResourceBuilder<IResourceWithConnectionString>[] dependencies)
    {
        foreach (var dependency in dependencies)
        {
            service.WithReference(dependency).WaitFor(dependency);
            if (dependency.Resource is LocalRabbitMqResource broker)
            {
                service.WithOwnBrokerUser(broker);
            }
        }
        return service;
    }

    /// <summary>Another service this one calls: its URLs by service discovery, started first.</summary>
    public static IResourceBuilder<ProjectResource> Calls(
        this IResourceBuilder<ProjectResource> service, params IResourceBuilder<ProjectResource>[] others)
    {
        foreach (var other in others)
        {
            service.WithReference(other).WaitFor(other);
        }
        return service;
    }
}
