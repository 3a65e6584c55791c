using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Options;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Outbox;

/// <summary>
/// Publishes identity's outbox, oldest first, and deletes each message once the broker has
/// confirmed it (MassTransit publishes to RabbitMQ with publisher confirms). While the broker is
/// down the same message is tried again with a growing pause, so nothing behind it overtakes it.
/// </summary>
/// <remarks>
/// <para>
/// Wakes at once when this instance wrote a message (<see cref="OutboxSignal"/>), otherwise
/// every <see cref="OutboxOptions.Poll"/>. Only the holder of the outbox's lease publishes, and it
/// renews the lease before each message: two instances never publish side by side, so the order
/// holds across instances too. A message can still go out twice (published, then the process
/// dies before deleting it; or a publish that timed out had reached the broker): the consumers
/// of identity's events are idempotent, and the message keeps its <c>MessageId</c>.
/// </para>
/// <para>
/// The backlog is the metric <c>webide.identity.outbox.pending</c>; a warning is logged when it
/// first waits on the broker and each time it grows tenfold, and an information when it is drained.
/// </para>
/// </remarks>
public sealed partial class OutboxDispatcher : BackgroundService
{
    public const string MeterName = "WebIde.Identity";

    private readonly IOutboxStore _outbox;
    private readonly OutboxSignal _signal;
    private readonly OutboxIntentCheck _intents;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly OutboxOptions _options;
    private readonly ILogger<OutboxDispatcher> _logger;

    // Unique per dispatcher, so a restarted one does not take over a lease it never held.
    private readonly string _holder = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    private long _pending;
    private Exception? _lastFailure;
    private long _reportedBacklog;
    private DateTimeOffset? _waitingSince;

    public OutboxDispatcher(
        IOutboxStore outbox,
        OutboxSignal signal,
        OutboxIntentCheck intents,
        IServiceScopeFactory scopes,
        TimeProvider time,
        IOptions<OutboxOptions> options,
        IMeterFactory meters,
        ILogger<OutboxDispatcher> logger)
    {
        _outbox = outbox;
        _signal = signal;
        _intents = intents;
        _scopes = scopes;
        _time = time;
        _options = options.Value;
        _logger = logger;
        meters.Create(MeterName).CreateObservableGauge("webide.identity.outbox.pending", () => Interlocked.Read(ref _pending),
            unit: "{event}", description: "Integration events of identity written and not yet confirmed by the broker");
    }

    /// <summary>Messages waiting, as this instance last counted them.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // What an earlier run left is published first, before any wake-up.
        _signal.Wake();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    await Task.WhenAny(_signal.WaitAsync(wait.Token), Task.Delay(_options.Poll, _time, wait.Token));
                    await wait.CancelAsync();
                }
                stoppingToken.ThrowIfCancellationRequested();

                try
                {
                    await DrainAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store itself failed: the messages are where they were; look again at the next poll.
                    LogStoreFailed(_logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            try
            {
                await _outbox.ReleaseLeaseAsync(_holder, CancellationToken.None);
            }
            catch (Exception exception)
            {
                // It runs out by itself.
                LogStoreFailed(_logger, exception);
            }
        }
    }

    /// <summary>Publishes until the outbox is empty, another instance holds the lease, or the service stops.</summary>
    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        var retry = _options.FirstRetry;
        while (true)
        {
            if (!await TryLeaseAsync(stoppingToken))
            {
                await CountAsync(stoppingToken);
                return;
            }

            var batch = await _outbox.ReadPendingAsync(_options.BatchSize, _time.GetUtcNow() - _options.IntentTimeout, stoppingToken);
            await CountAsync(stoppingToken);
            if (batch.Count == 0)
            {
                await _outbox.ReleaseLeaseAsync(_holder, stoppingToken);
                ReportDrained();
                return;
            }

            await using var scope = _scopes.CreateAsyncScope();
            var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            foreach (var pending in batch)
            {
                if (!await TryLeaseAsync(stoppingToken))
                {
                    return;
                }
                if (!await TryPublishAsync(publisher, pending, stoppingToken))
                {
                    await CountAsync(stoppingToken);
                    ReportWaiting(retry);
                    await Task.Delay(retry, _time, stoppingToken);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, _options.MaxRetry.Ticks));
                    break;
                }
                retry = _options.FirstRetry;
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    /// <summary>True when the message is done with (published and deleted, or not to be published); false when the broker failed.</summary>
    private async Task<bool> TryPublishAsync(IPublishEndpoint publisher, PendingOutboxMessage pending, CancellationToken stoppingToken)
    {
        object integrationEvent;
        Type type;
        try
        {
            (integrationEvent, type) = IdentityEvents.Read(pending.Message);
        }
        catch (Exception exception) when (exception is InvalidDataException or System.Text.Json.JsonException)
        {
            // Nothing can ever publish it; kept, it would hold up everything behind it.
            LogUnreadable(_logger, exception, pending.Sequence, pending.Message.MessageType, pending.Message.Body);
            await _outbox.DeleteAsync(pending.Sequence, stoppingToken);
            return true;
        }

        if (!pending.Confirmed && !await _intents.IsInEffectAsync(integrationEvent, stoppingToken))
        {
            LogIntentDropped(_logger, pending.Message.MessageType, pending.Message.MessageId);
            await _outbox.DeleteAsync(pending.Sequence, stoppingToken);
            return true;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.PublishTimeout, _time);
            using var publishing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            await publisher.Publish(integrationEvent, type, Pipe.Execute<PublishContext>(context => context.MessageId = pending.Message.MessageId), publishing.Token);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogPublishFailed(_logger, exception, pending.Message.MessageType, pending.Message.MessageId);
            _lastFailure = exception;
            return false;
        }

        // Not the service's token: the broker has the message, so it goes from the outbox even while stopping.
        await _outbox.DeleteAsync(pending.Sequence, CancellationToken.None);
        return true;
    }

    private Task<bool> TryLeaseAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return _outbox.TryLeaseAsync(_holder, now, now + _options.Lease, cancellationToken);
    }

    private async Task CountAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _pending, await _outbox.CountPendingAsync(cancellationToken));

    private void ReportWaiting(TimeSpan retry)
    {
        var pending = Pending;
        _waitingSince ??= _time.GetUtcNow();
        if (pending >= Math.Max(1, _reportedBacklog * 10))
        {
            _reportedBacklog = pending;
            LogBacklogGrew(_logger, _lastFailure, pending, retry);
        }
    }

    private void ReportDrained()
    {
        if (_waitingSince is { } since)
        {
            LogBacklogDrained(_logger, _time.GetUtcNow() - since);
            _waitingSince = null;
            _reportedBacklog = 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity's events wait for the broker: {Pending} in the outbox; retrying in {Retry}")]
    private static partial void LogBacklogGrew(ILogger logger, Exception? exception, long pending, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity's outbox is drained: every event is published, after waiting {Waited}")]
    private static partial void LogBacklogDrained(ILogger logger, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publishing {MessageType} {MessageId} failed; it stays in the outbox")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string messageType, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "An abandoned {MessageType} {MessageId} was dropped: its change is not in effect")]
    private static partial void LogIntentDropped(ILogger logger, string messageType, Guid messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Sequence} ({MessageType}) cannot be read and was dropped: {Body}")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, long sequence, string messageType, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity's outbox could not be read or written; trying again at the next poll")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
