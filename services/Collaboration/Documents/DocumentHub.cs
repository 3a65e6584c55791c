using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Storage;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// The documents this instance owns, each listening on its Redis channel (for claims by other
/// instances, closings and file changes) while it is open here.
/// </summary>
public sealed class DocumentHub(
    IConnectionMultiplexer redis,
    DocumentStore store,
    GroupCommitter committer,
    FileSource files,
    InstanceIdentity instance,
    IOptions<CollaborationOptions> options,
    CollaborationMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<DocumentKey, OpenDocument> _documents = new();
    private readonly ILogger _logger = loggers.CreateLogger<DocumentHub>();

    public IEnumerable<OpenDocument> Documents => _documents.Values;

    public bool TryGet(DocumentKey key, out OpenDocument document) => _documents.TryGetValue(key, out document!);

    /// <summary>The document, claimed by this instance and loaded (once, however many ask at the same time).</summary>
    public async Task<OpenDocument> OpenAsync(DocumentKey key)
    {
        while (true)
        {
            var document = _documents.GetOrAdd(key, Create);
            await document.OpenAsync();
            if (document.IsServing)
            {
                return document;
            }
            await ForgetAsync(document);
        }
    }

    /// <summary>
    /// Writes those of <paramref name="documents"/> whose snapshot is due (or all, with
    /// <paramref name="now"/>) to their files in one call to filesystem, and lets go of every
    /// one of them that nobody needs here any more. One call, not one per document: with many
    /// documents being edited, a call each (each with its token check, role check, transaction
    /// and fsync) cost the filesystem service a fifth of a core.
    /// </summary>
    public async Task PersistAsync(IReadOnlyCollection<OpenDocument> documents, bool now, CancellationToken cancellationToken)
    {
        var snapshots = documents.Select(document => document.BeginSnapshot(now)).OfType<PendingSnapshot>().ToList();
        var writes = snapshots.Select(snapshot => snapshot.Write).OfType<SnapshotWrite>().ToList();
        IReadOnlyList<SnapshotWriteResult> results = [];
        try
        {
            if (writes.Count > 0)
            {
                results = await files.WriteManyAsync(writes, cancellationToken);
            }
        }
        finally
        {
            // Every begun snapshot is ended, whatever happened to the call, so that none keeps
            // its document's persistence held.
            var resultOf = writes.Zip(results).ToDictionary(pair => pair.First, pair => pair.Second);
            await Task.WhenAll(snapshots.Select(snapshot => EndSnapshotAsync(snapshot, snapshot.Write is { } write ? resultOf.GetValueOrDefault(write) : null, cancellationToken)));
        }
        if (writes.Count > 0)
        {
            metrics.SnapshotsWrittenTogether(writes.Count);
        }
        foreach (var document in documents)
        {
            if (document.TryRetireIdle())
            {
                await ForgetAsync(document);
            }
        }
    }

    private async Task EndSnapshotAsync(PendingSnapshot snapshot, SnapshotWriteResult? result, CancellationToken cancellationToken)
    {
        try
        {
            await snapshot.Document.EndSnapshotAsync(snapshot, result, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(exception, "Writing {Path} of workspace {WorkspaceId} to its file failed; trying again",
                snapshot.Document.Key.Path, snapshot.Document.Key.WorkspaceId);
        }
    }

    public async Task<ChannelMessageQueue> SubscribeAsync(DocumentKey key) =>
        await redis.GetSubscriber().SubscribeAsync(DocumentStore.Channel(key));

    /// <summary>Takes a document that let go out of the list and off its channel.</summary>
    public async Task ForgetAsync(OpenDocument document)
    {
        if (_documents.TryRemove(KeyValuePair.Create(document.Key, document)))
        {
            await document.UnsubscribeAsync();
        }
    }

    private OpenDocument Create(DocumentKey key) =>
        new(key, this, store, committer, files, instance, options.Value, metrics, time, loggers.CreateLogger<OpenDocument>());
}
