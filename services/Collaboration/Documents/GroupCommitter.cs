using System.Threading.Channels;
using StackExchange.Redis;
using WebIde.Collaboration.Storage;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// One per instance: sends every document's waiting operations to Redis in one pipelined round
/// trip, and the next round as soon as that one returns. A document's operations are acked
/// and passed on only once their round came back, so nothing acknowledged is only in memory.
/// </summary>
public sealed class GroupCommitter(DocumentStore store, CollaborationMetrics metrics, TimeProvider time, ILogger<GroupCommitter> logger) : BackgroundService
{
    private readonly Channel<OpenDocument> _ready = Channel.CreateUnbounded<OpenDocument>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The document has operations for the next round (it asks once until that round is done).</summary>
    public void Enqueue(OpenDocument document) => _ready.Writer.TryWrite(document);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var round = new List<(OpenDocument Document, CommitBatch Batch)>();
        while (await _ready.Reader.WaitToReadAsync(stoppingToken))
        {
            round.Clear();
            while (_ready.Reader.TryRead(out var document))
            {
                if (document.TakeBatch() is { } batch)
                {
                    round.Add((document, batch));
                }
            }
            if (round.Count == 0)
            {
                continue;
            }
            var started = time.GetTimestamp();
            IReadOnlyList<Task<RedisResult>> appends;
            try
            {
                appends = store.AppendAll(round.Select(item => item.Batch).ToList(), time.GetUtcNow().ToUnixTimeMilliseconds());
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Redis gone (restarted, unreachable) may throw before any append is sent: the round's
                // documents fail their batch, as when each append fails, and the loop lives on. An
                // exception out of here would stop the whole service.
                logger.LogWarning(exception, "A commit round of {Count} documents could not be sent to Redis", round.Count);
                foreach (var (document, _) in round)
                {
                    document.CommitFailed(exception);
                }
                continue;
            }
            var operations = 0;
            for (var i = 0; i < round.Count; i++)
            {
                var (document, batch) = round[i];
                operations += batch.Entries.Count;
                try
                {
                    document.Committed(batch, DocumentStore.ReadAppendResult(await appends[i]));
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidCastException)
                {
                    document.CommitFailed(exception);
                }
                catch (Exception exception)
                {
                    logger.LogError(exception, "Committing {Path} of workspace {WorkspaceId} failed unexpectedly", batch.Key.Path, batch.Key.WorkspaceId);
                    document.CommitFailed(exception);
                }
            }
            metrics.CommitRound(round.Count, operations, time.GetElapsedTime(started));
        }
    }
}
