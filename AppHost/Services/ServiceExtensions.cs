using System.Security.Cryptography;
using WebIde.AppHost.Infrastructure;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Services;

public static class ServiceExtensions
{
    /// <summary>
    /// A service behind the gateway, as <see cref="PlatformSettings.Scale"/> instances (at least <paramref name="atLeast"/>),
    /// each set up by <paramref name="configure"/>. The first is named as the service and the others get a number
    /// (<c>identity</c>, <c>identity-2</c>); a service that always runs several numbers them all (<c>collaboration-1</c>).
    /// </summary>
    public static ServiceInstances AddService<TProject>(
        this IDistributedApplicationBuilder builder,
        string name,
        PlatformSettings settings,
        Func<IResourceBuilder<ProjectResource>, IResourceBuilder<ProjectResource>> configure,
        int atLeast = 1)
        where TProject : IProjectMetadata, new()
    {
        var count = Math.Max(atLeast, settings.Scale);
        var instances = Enumerable.Range(1, count)
            .Select(number => configure(builder.AddServiceInstance<TProject>(InstanceName(name, number, numberAll: atLeast > 1), name, settings)
                .AsInstanceOf(name, numbered: atLeast > 1)))
            .ToArray();
        return new ServiceInstances(name, instances);
    }

    /// <summary>
    /// An instance of a service that runs as one service in several processes reports itself as the service: its
    /// problems name it, its telemetry is the service's (the instance id apart), and it consumes the service's
    /// events from the service's queues, each event once for all its instances. Numbered instances (collaboration)
    /// stay services of their own there: each hears every event on its own queues.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsInstanceOf(this IResourceBuilder<ProjectResource> instance, string service, bool numbered) =>
        numbered ? instance : instance.WithEnvironment("OTEL_SERVICE_NAME", service);

    /// <summary><c>identity</c>, <c>identity-2</c>, …; or <c>collaboration-1</c>, <c>collaboration-2</c>, … when every instance is numbered.</summary>
    public static string InstanceName(string service, int number, bool numberAll) =>
        number == 1 && !numberAll ? service : $"{service}-{number}";

    /// <summary>Which service the resource is an instance of (its own name for a resource that is no instance).</summary>
    public static string ServiceName(this IResource resource) =>
        resource.Annotations.OfType<ServiceInstanceAnnotation>().FirstOrDefault()?.Service ?? resource.Name;

    /// <summary>
    /// One instance. Its ports are picked by the orchestrator, never fixed, so that a test run can boot the platform
    /// beside a running <c>./webide up</c>. Callers reach the process itself, not through the orchestrator's proxy: a
    /// killed instance then refuses connections at once (the proxy would accept them and hang), and the calls on hot
    /// paths (collaboration's sockets, its snapshots to filesystem) do not pay for a third process copying every frame.
    /// </summary>
    private static IResourceBuilder<ProjectResource> AddServiceInstance<TProject>(
        this IDistributedApplicationBuilder builder, string name, string service, PlatformSettings settings)
        where TProject : IProjectMetadata, new()
    {
        // Healthy once it answers: readiness of its dependencies is what /health reports, and
        // the gateway aggregates that; waiting on it would keep the platform down with one of them.
        var instance = builder.AddProject<TProject>(name)
            .WithAnnotation(new ServiceInstanceAnnotation(service))
            .RunBuiltBinary()
            .RunAsServiceUser(settings)
            .WithAppHostEnvironment()
            .WithLeanRuntime()
            .WithEnvironment("WebIde__Mode", settings.Mode.ToString().ToLowerInvariant())
            .WithHttpHealthCheck("/alive", endpointName: "http");
        foreach (var endpoint in instance.Resource.Annotations.OfType<EndpointAnnotation>())
        {
            endpoint.Port = null;
            endpoint.IsProxied = false;
        }
        return instance;
    }

    /// <summary>
    /// The service's own database: a SQLite file in its own folder of the data folder in the
    /// <c>local</c> mode (the services' user's, <see cref="PlatformSettings.ServiceFolder"/>), a
    /// database named after the service on the MongoDB server otherwise.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithStore(
        this IResourceBuilder<ProjectResource> service, PlatformSettings settings, IResourceBuilder<MongoServerResource>? mongo)
    {
        // Every instance of a service shares its store.
        var name = service.Resource.ServiceName();
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
        this IResourceBuilder<ProjectResource> service, ServiceInstances identity, string? clientId = null)
    {
        // Instances of one service share its identity (and secret) towards the others.
        var name = clientId ?? service.Resource.ServiceName();
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
            foreach (var instance in identity.Instances)
            {
                instance.WithEnvironment($"ServiceClients__{name}", secret);
            }
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

    /// <summary>
    /// Other services this one calls, started first: every instance of each, by service discovery. An instance
    /// named as its service is listed the usual way (<c>services__identity__http__0</c>); the others are added
    /// under the service's name (<c>services__identity__http__1</c>), and the caller's clients take them in turn.
    /// Numbered instances (<c>collaboration-1</c>) are reached by their own names.
    /// </summary>
    public static IResourceBuilder<ProjectResource> Calls(
        this IResourceBuilder<ProjectResource> caller, params ServiceInstances[] services)
    {
        foreach (var service in services)
        {
            caller.WithReference(service.First).WaitFor(service.First);
            foreach (var (instance, index) in service.Instances.Skip(1).Select((instance, index) => (instance, index + 1)))
            {
                caller.WaitFor(instance);
                if (service.First.Resource.Name != service.Service)
                {
                    caller.WithReference(instance);
                    continue;
                }
                foreach (var endpoint in instance.Resource.Annotations.OfType<EndpointAnnotation>())
                {
                    caller.WithEnvironment($"services__{service.Service}__{endpoint.Name}__{index}", instance.GetEndpoint(endpoint.Name));
                }
            }
        }
        return caller;
    }
}
