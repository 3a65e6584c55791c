using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Storage;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// The documents this instance has open, each listening on its Redis channel while anyone
/// here has it joined. Messages of one channel are handled one after another, in Redis's order.
/// </summary>
public sealed class DocumentHub(
    IConnectionMultiplexer redis,
    DocumentStore store,
    PresenceBoard presence,
    FileSource files,
    IOptions<CollaborationOptions> options,
    CollaborationMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<DocumentKey, OpenDocument> _documents = new();
    private readonly Dictionary<DocumentKey, ChannelMessageQueue> _subscriptions = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private readonly ILogger _logger = loggers.CreateLogger<DocumentHub>();

    public IEnumerable<OpenDocument> Documents => _documents.Values;

    /// <summary>The document, open and listening; its channel is subscribed before its state is read, so no operation falls between.</summary>
    public async Task<OpenDocument> OpenAsync(DocumentKey key)
    {
        await _subscribing.WaitAsync();
        try
        {
            if (_documents.TryGetValue(key, out var open) && !open.Retired)
            {
                return open;
            }
            if (open is not null)
            {
                open.Closed();
            }
            var document = new OpenDocument(key, store, presence, files, options.Value, metrics, time, loggers.CreateLogger<OpenDocument>());
            _documents[key] = document;
            if (!_subscriptions.ContainsKey(key))
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(DocumentStore.Channel(key));
                queue.OnMessage(message => RouteAsync(key, message));
                _subscriptions[key] = queue;
            }
            return document;
        }
        finally
        {
            _subscribing.Release();
        }
    }

    /// <summary>Lets go of a document nobody here has joined any more.</summary>
    public async Task ReleaseAsync(OpenDocument document)
    {
        await _subscribing.WaitAsync();
        try
        {
            if (!document.Retired || !_documents.TryGetValue(document.Key, out var current) || current != document)
            {
                return;
            }
            _documents.TryRemove(document.Key, out _);
            document.Closed();
            if (_subscriptions.Remove(document.Key, out var queue))
            {
                await queue.UnsubscribeAsync();
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private async Task RouteAsync(DocumentKey key, ChannelMessage message)
    {
        if (!_documents.TryGetValue(key, out var document))
        {
            return;
        }
        try
        {
            await document.OnChannelMessageAsync((byte[])message.Message!);
            if (document.Retired)
            {
                await ReleaseAsync(document);
            }
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "A message on the channel of {Path} in workspace {WorkspaceId} could not be handled", key.Path, key.WorkspaceId);
        }
    }
}
