using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.AppHost.Infrastructure;
using WebIde.AppHost.Platform;
using WebIde.AppHost.Services;

namespace WebIde.AppHost.Sandbox;

public static class DockerGateExtensions
{
    /// <summary>The execution binary's argument that runs it as the gate (WebIde.Execution's DockerGateHost.Command).</summary>
    public const string GateCommand = "docker-gate";

    /// <summary>The gate's readiness: the engine's ping, through the gate, answered.</summary>
    private static readonly byte[] PingRequest = "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"u8.ToArray();

    /// <summary>
    /// The execution service's privileged half, the only process given the Docker socket: the
    /// execution binary run as <c>docker-gate</c>, listening on a Unix socket under the data
    /// folder (0700) and letting through only the container calls execution makes, on the runner
    /// image and this installation's containers (docs/platform.md, "The Docker gate"). Settings
    /// under <c>WebIde:DockerGate</c> reach it as its <c>DockerGate</c> section (<c>SocketOwner</c>,
    /// for a service that runs as another user). No port: a health check connects to the socket.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddDockerGate(
        this IDistributedApplicationBuilder builder, string name, PlatformSettings settings, IResourceBuilder<RunnerImageResource> runnerImage)
    {
        var folder = settings.DataFolder(name);
        var socket = Path.Combine(folder, "docker.sock");
        // What execution is told (WithRunnerImage, WithSandboxInstallation, then WebIde:Sandbox), so the gate allows exactly that.
        var sandbox = builder.Configuration.GetSection("WebIde:Sandbox");
        var gate = builder.AddProject<Projects.WebIde_Execution>(name, options => options.ExcludeLaunchProfile = true)
            .RunBuiltBinary()
            .WithLeanRuntime()
            .WithArgs(GateCommand)
            .WithEnvironment("DockerGate__Socket", socket)
            .WithEnvironment("DockerGate__DockerEndpoint", sandbox["DockerEndpoint"] ?? "unix:///var/run/docker.sock")
            .WithEnvironment("DockerGate__AllowedImages__0", sandbox["RunnerImage"] ?? runnerImage.Resource.Tag)
            .WithEnvironment("DockerGate__Installation", sandbox["Installation"] ?? settings.Installation)
            .WithSettings(builder.Configuration, "WebIde:DockerGate", "DockerGate")
            .WithAnnotation(new DockerGateSocketAnnotation(socket));
        if (settings.ServiceAccount is { } account)
        {
            // The gate stays root's; execution, run as the services' user, reaches its socket
            // (0660, theirs) through the gate's folder, which it may pass but not list.
            settings.LetServicesThrough(folder);
            gate.WithEnvironment("DockerGate__SocketOwner", account.Owner.ToString());
        }

        var check = $"{name}-probe";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            check,
            _ => ProtocolProbeHealthCheck.UnixSocket(socket, PingRequest, reply => reply.Span.StartsWith("HTTP/1.1 200"u8)),
            HealthStatus.Unhealthy,
            tags: null));
        return gate.WithHealthCheck(check);
    }

    /// <summary>The service reaches Docker through the gate only, once the gate answers.</summary>
    public static IResourceBuilder<ProjectResource> WithDockerGate(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> gate)
    {
        var socket = gate.Resource.Annotations.OfType<DockerGateSocketAnnotation>().Single().Path;
        return service
            .WithEnvironment("Sandbox__DockerEndpoint", $"unix://{socket}")
            .WaitFor(gate);
    }
}
