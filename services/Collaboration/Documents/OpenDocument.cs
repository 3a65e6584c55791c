using System.Diagnostics;
using System.Text;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// A document as one instance serves it: its text at the newest revision this instance knows,
/// the last operations (to transform late ones against), and the connections that joined it.
/// Everything that changes it runs under one gate, so each connection hears the document's
/// operations, acks and presence in one order: the order Redis decided.
/// </summary>
public sealed class OpenDocument(
    DocumentKey key,
    DocumentStore store,
    PresenceBoard presence,
    FileSource files,
    CollaborationOptions options,
    CollaborationMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private const int WindowSize = 1024;
    private const int MaxAppendAttempts = 50;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<LogEntry> _window = [];
    private readonly Dictionary<string, DocumentMember> _members = new(StringComparer.Ordinal);
    private string _text = "";
    private long _revision = -1;

    public DocumentKey Key => key;

    /// <summary>Set once the last member left and the hub let go of it; a joiner must open it anew.</summary>
    public bool Retired { get; private set; }

    public async Task<bool> JoinAsync(CollabConnection connection, long? fromRevision, bool readOnly)
    {
        using var activity = CollaborationMetrics.Activities.StartActivity("collab join");
        activity?.SetTag("webide.workspace", key.WorkspaceId).SetTag("webide.path", key.Path).SetTag("webide.resume", fromRevision is not null);
        await _gate.WaitAsync();
        try
        {
            if (Retired)
            {
                return false;
            }
            await EnsureLoadedAsync();
            if (fromRevision > _revision)
            {
                await CatchUpAsync();
            }

            IReadOnlyList<LogEntry>? missed = null;
            if (fromRevision is { } revision)
            {
                missed = revision > _revision ? null : await EntriesAfterAsync(revision);
                if (missed is null)
                {
                    throw new ProtocolException(ErrorCodes.UnknownRevision, $"revision {revision} is not kept any more (or never was); join without a revision");
                }
            }

            var (peers, gone) = await presence.ListAsync(key);
            foreach (var clientId in gone)
            {
                await PublishAsync('l', clientId, ServerFrames.PeerLeft(key.Path, clientId));
            }
            var peer = new Peer(connection.ClientId, connection.UserId, connection.Username, PeerColors.For(connection.UserId), []);
            connection.Send(missed is null
                ? ServerFrames.JoinedFresh(key.Path, _revision, _text, readOnly, peers, connection.ClientId)
                : ServerFrames.JoinedResumed(key.Path, _revision, missed, readOnly, peers, connection.ClientId));
            _members[connection.ClientId] = new DocumentMember(connection, readOnly, peer);
            var peerJson = ServerFrames.PeerJson(peer);
            await presence.PutAsync(key, connection.ClientId, peerJson);
            await PublishAsync('j', connection.ClientId, ServerFrames.PeerJoined(key.Path, peerJson));
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SubmitAsync(CollabConnection connection, ClientMessage message)
    {
        var started = time.GetTimestamp();
        using var activity = CollaborationMetrics.Activities.StartActivity("collab op");
        activity?.SetTag("webide.workspace", key.WorkspaceId).SetTag("webide.path", key.Path).SetTag("webide.revision", message.Revision);
        var id = message.Id!;
        await _gate.WaitAsync();
        try
        {
            if (!_members.TryGetValue(connection.ClientId, out var member))
            {
                throw new ProtocolException(ErrorCodes.NotFound, "join the document before sending operations to it", id);
            }
            if (member.ReadOnly)
            {
                throw new ProtocolException(ErrorCodes.Forbidden, "viewers follow a document read-only", id);
            }

            for (var attempt = 0; attempt < MaxAppendAttempts; attempt++)
            {
                if (message.Revision > _revision)
                {
                    await CatchUpAsync();
                    if (message.Revision > _revision)
                    {
                        throw new ProtocolException(ErrorCodes.UnknownRevision, $"revision {message.Revision} does not exist yet; the newest is {_revision}", id);
                    }
                }
                var concurrent = await EntriesAfterAsync(message.Revision!.Value)
                    ?? throw new ProtocolException(ErrorCodes.UnknownRevision, $"revision {message.Revision} is not kept any more; join again without a revision", id);

                var (operation, newText) = Rebase(message.Op!, concurrent, id);
                if (newText.Length > options.MaxDocumentLength)
                {
                    throw new ProtocolException(ErrorCodes.TooLarge, $"the document would be longer than {options.MaxDocumentLength} UTF-16 code units", id);
                }

                var entry = new LogEntry(_revision + 1, operation, connection.ClientId, id, connection.UserId, time.GetUtcNow().ToUnixTimeMilliseconds());
                var result = await store.AppendAsync(key, entry);
                switch (result.Outcome)
                {
                    case AppendOutcome.Appended:
                        Apply(entry, newText);
                        metrics.OperationApplied(concurrent.Count, time.GetElapsedTime(started));
                        activity?.SetTag("webide.transform.depth", concurrent.Count);
                        return;
                    case AppendOutcome.Duplicate:
                        if (result.Revision > _revision)
                        {
                            await CatchUpAsync();
                        }
                        connection.Send(ServerFrames.Ack(key.Path, result.Revision, id));
                        return;
                    case AppendOutcome.Missing:
                        throw new ProtocolException(ErrorCodes.NotFound, "the document is gone (its file was deleted or moved)", id);
                    default:
                        // Another instance took the revision: learn what it was and transform again.
                        await CatchUpAsync();
                        break;
                }
            }
            throw new ProtocolException(ErrorCodes.RateLimited, "the document is too busy to take this operation now; send it again", id);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SelectAsync(CollabConnection connection, IReadOnlyList<Selection> selections)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_members.TryGetValue(connection.ClientId, out var member))
            {
                throw new ProtocolException(ErrorCodes.NotFound, "join the document before sending selections for it");
            }
            if (selections.Any(selection => Math.Max(selection.Anchor, selection.Head) > _text.Length))
            {
                throw new ProtocolException(ErrorCodes.InvalidOp, $"a selection reaches past the end of the document ({_text.Length})");
            }
            member.Peer = member.Peer with { Selections = selections };
            await presence.PutAsync(key, connection.ClientId, ServerFrames.PeerJson(member.Peer));
            await PublishAsync('s', connection.ClientId, ServerFrames.Selection(key.Path, connection.ClientId, connection.Username, selections));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes the connection out; true when nobody is left and the document was retired.</summary>
    public async Task<bool> LeaveAsync(CollabConnection connection)
    {
        await _gate.WaitAsync();
        try
        {
            if (_members.Remove(connection.ClientId))
            {
                try
                {
                    await presence.RemoveAsync(key, connection.ClientId);
                    await PublishAsync('l', connection.ClientId, ServerFrames.PeerLeft(key.Path, connection.ClientId));
                }
                catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
                {
                    // The peer entry goes when this instance's liveness lapses, or with the next leave.
                    logger.LogWarning(exception, "Could not announce that {ClientId} left {Path}", connection.ClientId, key.Path);
                }
            }
            if (_members.Count == 0)
            {
                Retired = true;
            }
            return Retired;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A message on the document's channel: an operation (from any instance) or presence to pass on.</summary>
    public async Task OnChannelMessageAsync(byte[] message)
    {
        var kind = (char)message[0];
        if (kind == 'o')
        {
            var entry = LogEntry.Parse(message.AsSpan(1));
            await _gate.WaitAsync();
            try
            {
                if (_revision < 0 || entry.Revision <= _revision || Retired)
                {
                    return;
                }
                if (entry.Revision == _revision + 1)
                {
                    Apply(entry, entry.Op.Apply(_text));
                }
                else
                {
                    await CatchUpAsync();
                }
            }
            finally
            {
                _gate.Release();
            }
            return;
        }

        var newline = message.AsSpan().IndexOf((byte)'\n');
        var origin = Encoding.UTF8.GetString(message, 1, newline - 1);
        var frame = message.AsSpan(newline + 1).ToArray();
        await _gate.WaitAsync();
        try
        {
            if (kind == 'c')
            {
                foreach (var member in _members.Values)
                {
                    member.Connection.Send(frame);
                    member.Connection.Documents.TryRemove(key.Path, out _);
                }
                _members.Clear();
                Retired = true;
                return;
            }
            foreach (var member in _members.Values)
            {
                if (member.Connection.ClientId != origin)
                {
                    member.Connection.Send(frame);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task UpdateAccessAsync(Guid userId, bool readOnly)
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var member in _members.Values.Where(member => member.Connection.UserId == userId))
            {
                member.ReadOnly = readOnly;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private (TextOperation Operation, string NewText) Rebase(TextOperation operation, IReadOnlyList<LogEntry> concurrent, string id)
    {
        try
        {
            foreach (var entry in concurrent)
            {
                operation = TextOperation.Transform(operation, entry.Op).APrime;
            }
            if (operation.BaseLength != _text.Length)
            {
                throw new ProtocolException(ErrorCodes.InvalidOp,
                    $"the operation spans {operation.BaseLength} code units but the document has {_text.Length} at that revision", id);
            }
            return (operation, operation.Apply(_text));
        }
        catch (TextOperationException exception)
        {
            throw new ProtocolException(ErrorCodes.InvalidOp, $"the operation does not fit the document at its revision: {exception.Message}", id);
        }
    }

    private void Apply(LogEntry entry, string newText)
    {
        _text = newText;
        _revision = entry.Revision;
        _window.Add(entry);
        if (_window.Count > WindowSize)
        {
            _window.RemoveRange(0, _window.Count - WindowSize);
        }

        var op = ServerFrames.Op(key.Path, entry);
        foreach (var member in _members.Values)
        {
            member.Connection.Send(member.Connection.ClientId == entry.ClientId
                ? ServerFrames.Ack(key.Path, entry.Revision, entry.Id)
                : op);
        }
    }

    private async Task<IReadOnlyList<LogEntry>?> EntriesAfterAsync(long revision)
    {
        if (revision == _revision)
        {
            return [];
        }
        if (_window.Count > 0 && revision >= _window[0].Revision - 1)
        {
            return _window.GetRange((int)(revision - _window[0].Revision + 1), (int)(_revision - revision));
        }
        var stored = await store.ReadAfterAsync(key, revision);
        return stored?.Where(entry => entry.Revision <= _revision).ToList();
    }

    private async Task CatchUpAsync()
    {
        var entries = await store.ReadAfterAsync(key, _revision);
        if (entries is null)
        {
            await ReloadAsync();
            return;
        }
        foreach (var entry in entries)
        {
            if (entry.Revision == _revision + 1)
            {
                Apply(entry, entry.Op.Apply(_text));
            }
        }
    }

    /// <summary>
    /// This instance fell behind what Redis keeps, or the state went away: the members cannot be
    /// brought along, so they are told to join again (from scratch) and the text is read anew.
    /// </summary>
    private async Task ReloadAsync()
    {
        logger.LogWarning("Document {Path} of workspace {WorkspaceId} could not be caught up; its editors must rejoin", key.Path, key.WorkspaceId);
        foreach (var member in _members.Values)
        {
            member.Connection.Send(ServerFrames.Error(ErrorCodes.UnknownRevision, $"{key.Path} must be joined again without a revision"));
            member.Connection.Documents.TryRemove(key.Path, out _);
        }
        _members.Clear();
        _window.Clear();
        _revision = -1;
        Retired = true;
    }

    private async Task EnsureLoadedAsync()
    {
        if (_revision >= 0)
        {
            return;
        }
        var stored = await store.LoadAsync(key);
        if (stored is null)
        {
            var file = await files.ReadAsync(key, CancellationToken.None)
                ?? throw new ProtocolException(ErrorCodes.NotFound, $"{key.Path} is not a file of this workspace");
            if (file.Text.Length > options.MaxDocumentLength)
            {
                throw new ProtocolException(ErrorCodes.TooLarge, $"{key.Path} is longer than {options.MaxDocumentLength} UTF-16 code units, too long to edit together");
            }
            await store.CreateAsync(key, file.Text, file.Version);
            stored = await store.LoadAsync(key) ?? throw new ProtocolException(ErrorCodes.NotFound, $"{key.Path} went away while it was opened");
        }
        _text = stored.TextAt(stored.Revision);
        _revision = stored.Revision;
        _window.Clear();
        _window.AddRange(stored.Entries.TakeLast(WindowSize));
        metrics.DocumentOpened();
        Activity.Current?.SetTag("webide.revision", _revision);
    }

    private Task PublishAsync(char kind, string originClientId, byte[] frame) => store.PublishAsync(key, kind, originClientId, frame);

    public void Closed()
    {
        if (_revision >= 0)
        {
            metrics.DocumentClosed();
        }
    }
}
