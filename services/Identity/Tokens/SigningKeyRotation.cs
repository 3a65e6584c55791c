using Microsoft.Extensions.Options;

namespace WebIde.Identity.Tokens;

/// <summary>Makes sure a signing key exists before the first request, then rotates on schedule.</summary>
public sealed class SigningKeyRotation(SigningKeyRing ring, IOptions<TokenOptions> options, ILogger<SigningKeyRotation> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await ring.RotateIfDueAsync(cancellationToken))
        {
            // Instances started together (--scale, replicas) may each have made a first key before
            // seeing the other's: once every one has read them all, all sign with the oldest.
            await Task.Delay(options.Value.FirstKeySettle, cancellationToken);
            await ring.ReloadAsync(cancellationToken);
        }
        _loop = RotateOnScheduleAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await Task.WhenAny(_loop, Task.Delay(Timeout.Infinite, cancellationToken));
        }
    }

    private async Task RotateOnScheduleAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ring.RotateIfDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Signing key rotation failed; retrying in a minute");
            }
        }
    }

    public void Dispose() => _stopping.Dispose();
}
