using System.Collections.Concurrent;
using StackExchange.Redis;

namespace WebIde.FileSystem.Events;

/// <summary>
/// Wakes whoever waits for a workspace's next change: event streams and the bus publisher,
/// in this process and, through one Redis channel, in every other instance. A wake-up only
/// says "look at the change log": the log is the truth, so a lost notification delays a
/// reader (until its next poll) but never makes it miss a change.
/// </summary>
public sealed class ChangeFeed(IConnectionMultiplexer redis, ILogger<ChangeFeed> logger) : IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("webide:fs-changes");

    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _next = new();
    private TaskCompletionSource _anyChange = NewSignal();

    /// <summary>
    /// A task that completes at the workspace's next change. Take it before reading the log,
    /// then wait on it: a change committed in between still completes it.
    /// </summary>
    public Task NextChange(Guid workspaceId) => _next.GetOrAdd(workspaceId, _ => NewSignal()).Task;

    /// <summary>
    /// A task that completes at the next change of any workspace, in this process or announced by another
    /// instance: the publisher holding the lease publishes every instance's changes at once.
    /// </summary>
    public Task NextAnyChange() => Volatile.Read(ref _anyChange).Task;

    /// <summary>Announces committed changes of a workspace here and to the other instances.</summary>
    public async Task AnnounceAsync(Guid workspaceId)
    {
        Wake(workspaceId);
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, workspaceId.ToString("D"));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not announce a change of {WorkspaceId} to other instances; they will see it at their next poll", workspaceId);
        }
    }

    private void Wake(Guid workspaceId)
    {
        Interlocked.Exchange(ref _anyChange, NewSignal()).TrySetResult();
        if (_next.TryRemove(workspaceId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
            queue.OnMessage(message =>
            {
                if (Guid.TryParse((string?)message.Message, out var workspaceId))
                {
                    Wake(workspaceId);
                }
            });
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Streams still poll the log; they only lose the instant wake-up for other instances' changes.
            logger.LogWarning(exception, "Could not subscribe to file changes of other instances");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
