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

    /// <summary>Writes the document to its file if due (or at once), and lets go of it if nobody needs it here any more.</summary>
    public async Task PersistAsync(OpenDocument document, bool now, CancellationToken cancellationToken)
    {
        await document.PersistAsync(now, cancellationToken);
        if (document.TryRetireIdle())
        {
            await ForgetAsync(document);
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
