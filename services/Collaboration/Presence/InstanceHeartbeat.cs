namespace WebIde.Collaboration.Presence;

/// <summary>Keeps this instance's liveness key fresh, so its peers count as present.</summary>
public sealed class InstanceHeartbeat(PresenceBoard board, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PresenceBoard.InstanceLifetime / 3);
        do
        {
            try
            {
                await board.RenewInstanceAsync();
            }
            catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
            {
                logger.LogWarning(exception, "Could not renew this instance's presence");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
