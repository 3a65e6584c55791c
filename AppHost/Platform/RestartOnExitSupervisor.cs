using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WebIde.AppHost.Platform;

/// <summary>
/// Starts again, after a backoff (<see cref="RestartOnExitBackoff"/>), every resource marked
/// <see cref="RestartOnExitAnnotation"/> whose process exits while the platform runs
/// (<see cref="RestartOnExitDecision"/>): locally nothing else would, where Kubernetes' kubelet
/// restarts a dead container. Started through the resource's own start command, as the
/// dashboard's Start button does, so the orchestrator starts it as it did the first time.
/// </summary>
public sealed class RestartOnExitSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RestartOnExitSupervisor> logger) : BackgroundService
{
    private readonly RestartOnExitDecision _decision = new();
    private readonly Dictionary<string, RestartOnExitBackoff> _backoffs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> _pendingStarts = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once the AppHost stops, every resource exits on purpose: nothing is started again.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var resourceEvent in notifications.WatchAsync(running.Token))
            {
                Observe(resourceEvent, running.Token);
            }
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var pending in _pendingStarts.Values)
            {
                pending.Cancel();
                pending.Dispose();
            }
        }
    }

    private void Observe(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        var id = resourceEvent.ResourceId;
        var state = resourceEvent.Snapshot.State?.Text;
        if (!_backoffs.TryGetValue(id, out var backoff))
        {
            backoff = _backoffs[id] = new RestartOnExitBackoff(time);
        }

        if (_decision.ShouldRestart(resourceEvent, shuttingDown: cancellationToken.IsCancellationRequested))
        {
            var delay = backoff.Exited();
            var exitCode = resourceEvent.Snapshot.ExitCode;
            logger.LogWarning("{Resource} exited with {ExitCode}; starting it again in {Delay}", id, exitCode, delay);
            resourceLogs.GetLogger(id).LogWarning("Exited with {ExitCode}; the AppHost starts it again in {Delay}", exitCode, delay);
            CancelPendingStart(id);
            var pending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _pendingStarts[id] = pending;
            _ = StartAgainAsync(id, delay, pending.Token, cancellationToken);
            return;
        }

        if (state == KnownResourceStates.Running)
        {
            backoff.Running();
        }
        if (!RestartOnExitDecision.IsExit(state))
        {
            // Started again by someone else meanwhile (an operator, a test): leave it be.
            CancelPendingStart(id);
        }
    }

    private void CancelPendingStart(string id)
    {
        if (_pendingStarts.Remove(id, out var pending))
        {
            pending.Cancel();
            pending.Dispose();
        }
    }

    /// <summary>
    /// Waits <paramref name="delay"/> unless the resource is started by someone else meanwhile
    /// (<paramref name="superseded"/>), then starts it. The start itself is cancelled only by the
    /// AppHost stopping: the Starting state it causes must not cancel it.
    /// </summary>
    private async Task StartAgainAsync(string id, TimeSpan delay, CancellationToken superseded, CancellationToken appStopping)
    {
        try
        {
            await Task.Delay(delay, time, superseded);
            // A start racing one of an operator or a test would replace the process it just started.
            if (notifications.TryGetCurrentState(id, out var current) && !RestartOnExitDecision.IsExit(current.Snapshot.State?.Text))
            {
                return;
            }
            var started = await commands.ExecuteCommandAsync(id, KnownResourceCommands.StartCommand, appStopping);
            if (!started.Success)
            {
                logger.LogError("Starting {Resource} again failed: {Error}", id, started.Message);
            }
        }
        catch (OperationCanceledException) when (superseded.IsCancellationRequested || appStopping.IsCancellationRequested)
        {
            // Started by someone else, or the AppHost is stopping.
        }
        catch (Exception error)
        {
            logger.LogError(error, "Starting {Resource} again failed", id);
        }
    }
}
