namespace WebIde.Collaboration.Presence;

/// <summary>Keeps this instance's liveness key fresh, so other instances know its documents have an owner.</summary>
public sealed class InstanceHeartbeat(InstanceLiveness liveness, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(InstanceLiveness.Lifetime / 3);
        do
        {
            try
            {
                await liveness.RenewAsync();
            }
            catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
            {
                logger.LogWarning(exception, "Could not renew this instance's presence");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
