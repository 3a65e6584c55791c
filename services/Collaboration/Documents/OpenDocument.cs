using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using StackExchange.Redis;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// A document this instance owns: the sequencer of its operations. An operation is transformed,
/// numbered and applied in memory under a lock that is never held across an await; the group
/// committer then writes it to Redis with other documents' operations, and only when Redis has
/// it are its ack and its frames to the other members sent. Another instance that claims the
/// document fences this one (its appends are refused): it lets go, and its editors reconnect.
/// </summary>
public sealed partial class OpenDocument(
    DocumentKey key,
    DocumentHub hub,
    DocumentStore store,
    GroupCommitter committer,
    FileSource files,
    InstanceIdentity instance,
    CollaborationOptions options,
    CollaborationMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DocumentMember> _members = new(StringComparer.Ordinal);
    private readonly Queue<OutgoingFrame> _outgoing = new();
    private readonly List<(long Revision, TaskCompletionSource Done)> _commitWaiters = [];

    // Every operation Redis keeps (after the base), and the id each was sent under: a resent
    // operation is recognised whichever instance applied it first.
    private readonly List<LogEntry> _log = [];
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);

    private DocumentState _state = DocumentState.Loading;
    private Task? _opening;
    private ChannelMessageQueue? _channel;
    private long _epoch;
    private long _foreignEpoch;
    private long _baseRevision;
    private string _baseText = "";

    // The text at the newest sequenced revision (what joiners get) and at the newest revision
    // Redis has (what snapshots write): two copies, so neither has to be rebuilt from the other.
    private DocumentText _text = new("");
    private DocumentText _durableText = new("");
    private long _head;
    private long _committed;
    private bool _inCommitQueue;

    public DocumentKey Key => key;

    /// <summary>Loaded and owned here; false once it let go (a joiner must open it anew).</summary>
    public bool IsServing
    {
        get
        {
            lock (_lock)
            {
                return _state == DocumentState.Serving;
            }
        }
    }

    /// <summary>Let go for good: the hub forgets it.</summary>
    public bool IsRetired
    {
        get
        {
            lock (_lock)
            {
                return _state == DocumentState.Retired;
            }
        }
    }

    /// <summary>Subscribes to the document's channel, then claims it and loads its state; once.</summary>
    public Task OpenAsync()
    {
        lock (_lock)
        {
            return _opening ??= OpenCoreAsync();
        }
    }

    private async Task OpenCoreAsync()
    {
        using var activity = CollaborationMetrics.Activities.StartActivity("collab open");
        activity?.SetTag("webide.workspace", key.WorkspaceId).SetTag("webide.path", key.Path);
        try
        {
            // Subscribed before claiming, so no claim by another instance after ours goes unheard.
            _channel = await hub.SubscribeAsync(key);
            _channel.OnMessage(message => OnChannelMessageAsync((byte[])message.Message!));

            var claimed = await store.ClaimAsync(key, instance.Id);
            if (claimed is null)
            {
                var file = await files.ReadAsync(key, CancellationToken.None)
                    ?? throw new ProtocolException(ErrorCodes.NotFound, $"{key.Path} is not a file of this workspace");
                if (file.Text.Length > options.MaxDocumentLength)
                {
                    throw new ProtocolException(ErrorCodes.TooLarge, $"{key.Path} is longer than {options.MaxDocumentLength} UTF-16 code units, too long to edit together");
                }
                await store.CreateAsync(key, file.Text, file.Version);
                claimed = await store.ClaimAsync(key, instance.Id)
                    ?? throw new ProtocolException(ErrorCodes.NotFound, $"{key.Path} went away while it was opened");
            }
            Load(claimed);
            logger.LogDebug("Claimed {Path} of workspace {WorkspaceId} at revision {Revision} with epoch {Epoch}", key.Path, key.WorkspaceId, claimed.Stored.Revision, claimed.Epoch);
            activity?.SetTag("webide.revision", claimed.Stored.Revision).SetTag("webide.epoch", claimed.Epoch);
        }
        catch
        {
            lock (_lock)
            {
                _state = DocumentState.Retired;
            }
            await hub.ForgetAsync(this);
            throw;
        }
    }

    private void Load(ClaimedDocument claimed)
    {
        var stored = claimed.Stored;
        var current = stored.TextAt(stored.Revision);
        var fileText = stored.TextAt(stored.FileRevision);
        lock (_lock)
        {
            _epoch = claimed.Epoch;
            _baseRevision = stored.BaseRevision;
            _baseText = stored.BaseText;
            _log.AddRange(stored.Entries);
            foreach (var entry in stored.Entries)
            {
                _applied[entry.DedupeKey] = entry.Revision;
            }
            _head = _committed = stored.Revision;
            _text = new DocumentText(current);
            _durableText = new DocumentText(current);
            _fileVersion = stored.FileVersion;
            _fileRevision = stored.FileRevision;
            _fileText = fileText;
            if (stored.Revision > stored.FileRevision)
            {
                _dirtySince = time.GetTimestamp();
            }
            if (_foreignEpoch > _epoch)
            {
                _state = DocumentState.Retired;
                return;
            }
            _state = DocumentState.Serving;
        }
        metrics.DocumentOpened();
    }

    /// <summary>Adds the connection; false when the document let go meanwhile (open it anew).</summary>
    public bool Join(CollabConnection connection, long? fromRevision, bool readOnly)
    {
        lock (_lock)
        {
            if (_state == DocumentState.Gone)
            {
                throw new ProtocolException(ErrorCodes.NotFound, "the document is gone (its file was deleted or moved)");
            }
            if (_state != DocumentState.Serving)
            {
                return false;
            }
            byte[] joined;
            var peers = _members.Values.Where(member => member.Connection != connection).Select(member => ServerFrames.PeerJson(member.Peer)).ToList();
            if (fromRevision is { } revision)
            {
                if (revision > _head || revision < _baseRevision)
                {
                    throw new ProtocolException(ErrorCodes.UnknownRevision, $"revision {revision} is not kept any more (or never was); join without a revision");
                }
                joined = ServerFrames.JoinedResumed(key.Path, _head, EntriesAfter(revision), readOnly, peers, connection.ClientId);
            }
            else
            {
                joined = ServerFrames.JoinedFresh(key.Path, _head, _text.ToString(), readOnly, peers, connection.ClientId);
            }
            var peer = new Peer(connection.ClientId, connection.UserId, connection.Username, PeerColors.For(connection.UserId), []);
            _members[connection.ClientId] = new DocumentMember(connection, readOnly, peer, _head);
            Queue(new OutgoingFrame(_head, Frame: joined, To: connection));
            Queue(new OutgoingFrame(_head, Frame: ServerFrames.PeerJoined(key.Path, ServerFrames.PeerJson(peer)), ExceptClientId: connection.ClientId));
            return true;
        }
    }

    public void Submit(CollabConnection connection, ClientMessage message)
    {
        var submittedAt = time.GetTimestamp();
        var id = message.Id!;
        var span = CollaborationMetrics.StartSampledOperationSpan(key, message.Revision);
        try
        {
            SubmitLocked(connection, message, id, submittedAt, span);
        }
        catch (ProtocolException refused)
        {
            CollaborationMetrics.StopSpan(span, error: refused.Code);
            throw;
        }
    }

    private void SubmitLocked(CollabConnection connection, ClientMessage message, string id, long submittedAt, Activity? span)
    {
        lock (_lock)
        {
            if (!_members.TryGetValue(connection.ClientId, out var member))
            {
                throw new ProtocolException(ErrorCodes.NotFound, "join the document before sending operations to it", id);
            }
            if (member.ReadOnly)
            {
                throw new ProtocolException(ErrorCodes.Forbidden, "viewers follow a document read-only", id);
            }
            if (_state != DocumentState.Serving)
            {
                throw new ProtocolException(ErrorCodes.NotFound, "the document is gone (its file was deleted or moved)", id);
            }
            var dedupeKey = LogEntry.DedupeKeyOf(connection.ClientId, connection.UserId, id);
            if (_applied.TryGetValue(dedupeKey, out var appliedAt))
            {
                // Sent again after a reconnect: it was applied once, and is acked once more.
                Queue(new OutgoingFrame(appliedAt, Frame: ServerFrames.Ack(key.Path, appliedAt, id), To: connection));
                CollaborationMetrics.StopSpan(span, appliedAt);
                return;
            }
            var revision = message.Revision!.Value;
            if (revision > _head)
            {
                throw new ProtocolException(ErrorCodes.UnknownRevision, $"revision {revision} does not exist yet; the newest is {_head}", id);
            }
            if (revision < _baseRevision)
            {
                throw new ProtocolException(ErrorCodes.UnknownRevision, $"revision {revision} is not kept any more; join again without a revision", id);
            }
            var operation = Rebase(message.Op!, revision, id, out var depth);
            var entry = new LogEntry(_head + 1, operation, connection.ClientId, id, connection.UserId, time.GetUtcNow().ToUnixTimeMilliseconds());
            Sequence(entry);
            metrics.OperationSequenced(depth);
            Queue(new OutgoingFrame(entry.Revision, Entry: entry, SubmittedAt: submittedAt, Span: span));
        }
    }

    public void Select(CollabConnection connection, IReadOnlyList<Selection> selections)
    {
        lock (_lock)
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
            if (member.SelectionWaiting)
            {
                return;
            }
            var wait = options.SelectionInterval - time.GetElapsedTime(member.SelectionSentAt);
            if (member.SelectionSentAt == 0 || wait <= TimeSpan.Zero)
            {
                QueueSelection(member);
                return;
            }
            // Cursors move with every keystroke: the others get the latest a few times a second.
            member.SelectionWaiting = true;
            _ = SendSelectionLaterAsync(member, wait);
        }
    }

    private async Task SendSelectionLaterAsync(DocumentMember member, TimeSpan wait)
    {
        await Task.Delay(wait, time);
        lock (_lock)
        {
            member.SelectionWaiting = false;
            if (_members.TryGetValue(member.Connection.ClientId, out var current) && current == member)
            {
                QueueSelection(member);
            }
        }
    }

    private void QueueSelection(DocumentMember member)
    {
        member.SelectionSentAt = time.GetTimestamp();
        var peer = member.Peer;
        Queue(new OutgoingFrame(_head, Frame: ServerFrames.Selection(key.Path, peer.ClientId, peer.Username, peer.Selections), ExceptClientId: peer.ClientId));
    }

    /// <summary>Takes the connection out; the document stays open until its changes are in the file.</summary>
    public void Leave(CollabConnection connection)
    {
        lock (_lock)
        {
            if (_members.Remove(connection.ClientId))
            {
                Queue(new OutgoingFrame(_head, Frame: ServerFrames.PeerLeft(key.Path, connection.ClientId), ExceptClientId: connection.ClientId));
            }
        }
    }

    public void UpdateAccess(Guid userId, bool readOnly)
    {
        lock (_lock)
        {
            foreach (var member in _members.Values.Where(member => member.Connection.UserId == userId))
            {
                member.ReadOnly = readOnly;
            }
        }
    }

    /// <summary>The committer's share of the document: what was sequenced since the last round.</summary>
    public CommitBatch? TakeBatch()
    {
        lock (_lock)
        {
            if (_state is not DocumentState.Serving || _head == _committed)
            {
                _inCommitQueue = false;
                return null;
            }
            var first = (int)(_committed + 1 - _baseRevision - 1);
            return new CommitBatch(key, _epoch, _committed + 1, _log.GetRange(first, (int)(_head - _committed)));
        }
    }

    /// <summary>Redis answered the round: on success, the acks and frames waiting for it go out.</summary>
    public void Committed(CommitBatch batch, AppendResult result)
    {
        lock (_lock)
        {
            switch (result.Outcome)
            {
                case AppendOutcome.Appended:
                    foreach (var entry in batch.Entries)
                    {
                        _durableText.Apply(entry.Op);
                    }
                    _committed = result.Revision;
                    _dirtySince ??= time.GetTimestamp();
                    Flush();
                    CompleteWaiters();
                    break;
                case AppendOutcome.Missing:
                    // The file was deleted or moved: its notice (with the reason) follows on the channel.
                    _state = DocumentState.Gone;
                    RefuseUncommitted("the document is gone (its file was deleted or moved)");
                    break;
                default:
                    logger.LogInformation("{Path} of workspace {WorkspaceId} was claimed by another instance ({Outcome}, {Revision}); letting it go",
                        key.Path, key.WorkspaceId, result.Outcome, result.Revision);
                    LetGo("the document moved to another instance; reconnect and resume");
                    break;
            }
            _inCommitQueue = _state == DocumentState.Serving && _head > _committed;
            if (_inCommitQueue)
            {
                committer.Enqueue(this);
            }
        }
        if (IsRetired)
        {
            _ = hub.ForgetAsync(this);
        }
    }

    /// <summary>Redis could not be asked: what was not acked is unknown to be stored, so the editors resume elsewhere (resending it).</summary>
    public void CommitFailed(Exception exception)
    {
        logger.LogWarning(exception, "Appending to {Path} of workspace {WorkspaceId} failed; letting the document go", key.Path, key.WorkspaceId);
        lock (_lock)
        {
            if (exception is RedisServerException server && DependencyFailures.IsRedisFull(server))
            {
                // Redis refuses the append script before its first write, so nothing of the round was stored:
                // the editors resend what was not acknowledged once they are back.
                LetGo("the platform's store is full; try again later", CollabConnection.TryAgainLater);
            }
            else
            {
                LetGo("the document's store could not be reached; reconnect and resume");
            }
            _inCommitQueue = false;
        }
        _ = hub.ForgetAsync(this);
    }

    /// <summary>Completes once Redis has <paramref name="revision"/>; fails if the document lets go first.</summary>
    private Task WhenCommitted(long revision)
    {
        if (revision <= _committed)
        {
            return Task.CompletedTask;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _commitWaiters.Add((revision, done));
        return done.Task;
    }

    private void CompleteWaiters()
    {
        _commitWaiters.RemoveAll(waiter =>
        {
            if (waiter.Revision > _committed)
            {
                return false;
            }
            waiter.Done.TrySetResult();
            return true;
        });
    }

    /// <summary>A message on the document's channel: a claim, a closing or a changed file.</summary>
    private async Task OnChannelMessageAsync(byte[] message)
    {
        try
        {
            var newline = message.AsSpan().IndexOf((byte)'\n');
            var origin = Encoding.UTF8.GetString(message, 1, newline - 1);
            var payload = message.AsSpan(newline + 1);
            switch ((char)message[0])
            {
                case 'k' when origin != instance.Id:
                    OnClaimed(long.Parse(payload, CultureInfo.InvariantCulture));
                    break;
                case 'c':
                    OnClosed(payload.ToArray());
                    break;
                case 'm':
                    var parts = Encoding.UTF8.GetString(payload).Split(' ');
                    await MergeFileAsync(long.Parse(parts[0], CultureInfo.InvariantCulture), Guid.Parse(parts[1]), CancellationToken.None);
                    break;
            }
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "A message on the channel of {Path} in workspace {WorkspaceId} could not be handled", key.Path, key.WorkspaceId);
        }
        if (IsRetired)
        {
            await hub.ForgetAsync(this);
        }
    }

    private void OnClaimed(long epoch)
    {
        lock (_lock)
        {
            if (_state == DocumentState.Loading)
            {
                _foreignEpoch = Math.Max(_foreignEpoch, epoch);
            }
            else if (epoch > _epoch && _state is DocumentState.Serving or DocumentState.Gone)
            {
                logger.LogInformation("{Path} of workspace {WorkspaceId} was claimed by another instance (epoch {Epoch} after {Own}); letting it go",
                    key.Path, key.WorkspaceId, epoch, _epoch);
                LetGo("the document moved to another instance; reconnect and resume");
            }
        }
    }

    private void OnClosed(byte[] frame)
    {
        lock (_lock)
        {
            foreach (var member in _members.Values)
            {
                member.Connection.Send(frame);
                member.Connection.Documents.TryRemove(key.Path, out _);
            }
            _members.Clear();
            Retire();
        }
    }

    /// <summary>
    /// Someone else owns the document now, or its store failed: its members' connections close
    /// (they reconnect through the gateway, which sends them to the document's instance, and
    /// resume from their revision); nothing they were not acked for is kept here.
    /// </summary>
    private void LetGo(string reason, int closeStatus = (int)WebSocketCloseStatus.EndpointUnavailable)
    {
        if (_state == DocumentState.Retired)
        {
            return;
        }
        foreach (var member in _members.Values)
        {
            member.Connection.Close(closeStatus, reason);
        }
        _members.Clear();
        Retire();
    }

    private void Retire()
    {
        if (_state == DocumentState.Retired)
        {
            return;
        }
        if (_state != DocumentState.Loading)
        {
            metrics.DocumentClosed();
        }
        _state = DocumentState.Retired;
        _outgoing.Clear();
        foreach (var (_, done) in _commitWaiters)
        {
            done.TrySetException(new ProtocolException(ErrorCodes.NotFound, $"{key.Path} is not open here any more"));
        }
        _commitWaiters.Clear();
    }

    /// <summary>Lets go of a document nobody has joined whose changes are all in its file; true when it did.</summary>
    public bool TryRetireIdle()
    {
        lock (_lock)
        {
            if (_state == DocumentState.Serving && (_members.Count > 0 || _head > _committed || _fileRevision < _committed || _persistence.CurrentCount == 0))
            {
                return false;
            }
            if (_state == DocumentState.Loading)
            {
                return false;
            }
            Retire();
            return true;
        }
    }

    public async Task UnsubscribeAsync()
    {
        if (_channel is { } channel)
        {
            await channel.UnsubscribeAsync();
        }
    }

    private void RefuseUncommitted(string reason)
    {
        var kept = new Queue<OutgoingFrame>();
        while (_outgoing.TryDequeue(out var frame))
        {
            if (frame.Entry is { } entry && entry.Revision > _committed)
            {
                if (_members.TryGetValue(entry.ClientId, out var member))
                {
                    member.Connection.Send(ServerFrames.Error(ErrorCodes.NotFound, reason, entry.Id, key.Path));
                }
                continue;
            }
            kept.Enqueue(frame);
        }
        foreach (var frame in kept)
        {
            _outgoing.Enqueue(frame);
        }
    }

    private TextOperation Rebase(TextOperation operation, long revision, string id, out int depth)
    {
        depth = (int)(_head - revision);
        try
        {
            for (var i = (int)(revision - _baseRevision); i < _log.Count; i++)
            {
                operation = TextOperation.Transform(operation, _log[i].Op).APrime;
            }
        }
        catch (TextOperationException exception)
        {
            throw new ProtocolException(ErrorCodes.InvalidOp, $"the operation does not fit the document at its revision: {exception.Message}", id);
        }
        if (operation.BaseLength != _text.Length)
        {
            throw new ProtocolException(ErrorCodes.InvalidOp,
                $"the operation spans {operation.BaseLength} code units but the document has {_text.Length} at that revision", id);
        }
        if (operation.TargetLength > options.MaxDocumentLength)
        {
            throw new ProtocolException(ErrorCodes.TooLarge, $"the document would be longer than {options.MaxDocumentLength} UTF-16 code units", id);
        }
        return operation;
    }

    /// <summary>Numbers and applies an operation already transformed to the head; the committer is told.</summary>
    private void Sequence(LogEntry entry)
    {
        _text.Apply(entry.Op);
        _head = entry.Revision;
        _log.Add(entry);
        _applied[entry.DedupeKey] = entry.Revision;
        if (!_inCommitQueue)
        {
            _inCommitQueue = true;
            committer.Enqueue(this);
        }
    }

    private List<LogEntry> EntriesAfter(long revision) =>
        _log.GetRange((int)(revision - _baseRevision), (int)(_head - revision));

    /// <summary>Sends the frame now if Redis has what it depends on and nothing is ahead of it, else queues it behind.</summary>
    private void Queue(OutgoingFrame frame)
    {
        _outgoing.Enqueue(frame);
        if (frame.AfterRevision <= _committed)
        {
            Flush();
        }
    }

    private void Flush()
    {
        while (_outgoing.TryPeek(out var frame) && frame.AfterRevision <= _committed)
        {
            _outgoing.Dequeue();
            if (frame.Entry is { } entry)
            {
                SendOperation(entry, frame);
            }
            else if (frame.To is { } to)
            {
                to.Send(frame.Frame!);
            }
            else
            {
                foreach (var member in _members.Values)
                {
                    if (member.Connection.ClientId != frame.ExceptClientId)
                    {
                        member.Connection.Send(frame.Frame!);
                    }
                }
            }
        }
    }

    private void SendOperation(LogEntry entry, OutgoingFrame frame)
    {
        // One encoding of the operation, shared by every member's queue.
        byte[]? encoded = null;
        foreach (var member in _members.Values)
        {
            if (member.Connection.ClientId == entry.ClientId)
            {
                member.Connection.Send(ServerFrames.Ack(key.Path, entry.Revision, entry.Id));
            }
            else if (member.JoinedRevision < entry.Revision)
            {
                member.Connection.Send(encoded ??= ServerFrames.Op(key.Path, entry));
            }
        }
        if (frame.SubmittedAt != 0)
        {
            metrics.OperationAcknowledged(time.GetElapsedTime(frame.SubmittedAt));
        }
        CollaborationMetrics.StopSpan(frame.Span, entry.Revision);
    }
}
