using Docker.DotNet;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>The engine answers and the runner image every sandbox starts from is there.</summary>
public sealed class DockerHealthCheck(IDockerClient docker, IOptions<SandboxOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var image = options.Value.RunnerImage;
        try
        {
            await docker.System.PingAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "the Docker engine does not answer", exception);
        }

        try
        {
            var inspected = await docker.Images.InspectImageAsync(image, cancellationToken);
            return HealthCheckResult.Healthy($"runner image {image}", new Dictionary<string, object> { ["imageSizeBytes"] = inspected.Size });
        }
        catch (DockerImageNotFoundException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"runner image {image} is missing: deploy/runner/build.sh builds it");
        }
    }
}
