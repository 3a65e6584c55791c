using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// Removes sandbox containers whose runs are over: stopped ones (their agent exits after a run that
/// leaves the container unfit for another, and when the service that attached to it dies, since stdin
/// then closes) and any past the expiry written on them at creation. So a crashed instance's containers go too. Only this
/// installation's are looked at (<see cref="SandboxContainers"/>).
/// </summary>
public sealed class SandboxSweeper(SandboxContainers containers, IOptions<SandboxOptions> options, TimeProvider time, ILogger<SandboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DockerApiException or HttpRequestException or IOException or TimeoutException)
            {
                logger.LogWarning(exception, "Sweeping sandbox containers failed; trying again in {Interval}", options.Value.SweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var over = (await containers.ListAsync([], cancellationToken)).Where(container => IsOver(container, now));
        var removed = await containers.RemoveAsync(over, cancellationToken);

        if (removed > 0)
        {
            logger.LogInformation("Removed {ContainerCount} sandbox containers whose run was over", removed);
        }
        return removed;
    }

    private static bool IsOver(ContainerListResponse container, long now)
    {
        if (container.State is "exited" or "dead")
        {
            return true;
        }
        // "created" is a container still being started, or one whose start failed: expiry decides.
        return container.Labels.TryGetValue(SandboxLabels.Expires, out var expires)
            && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && at < now;
    }
}
