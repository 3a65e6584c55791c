using Grpc.Core;
using WebIde.Collaboration.Persistence;
using WebIde.Collaboration.Sockets;
using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// The document and its file: the owner writes its text to the file from memory (compare-and-swap
/// on the file's version) soon after it changes, merges a change made to the file by someone
/// else as an operation, and trims the history Redis keeps once it is in the file and old.
/// </summary>
public sealed partial class OpenDocument
{
    /// <summary>How often a document that keeps changing is written to its file, at most.</summary>
    public static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan TrimInterval = TimeSpan.FromMinutes(1);
    private const int MaxMergeAttempts = 20;

    // One write or merge at a time, so a write of ours is never taken for someone else's change.
    private readonly SemaphoreSlim _persistence = new(1, 1);

    // What the file holds: its version, its text, and the revision that text is.
    private long _fileVersion;
    private long _fileRevision;
    private string _fileText = "";
    private long? _dirtySince;
    private long _writtenAt;
    private long _trimmedAt;

    /// <summary>
    /// Begins a snapshot when one is due: the text Redis has, to be written to the file if it
    /// changed (<see cref="CollaborationOptions.SnapshotDelay"/> after the first unwritten change,
    /// at most once per <see cref="SnapshotInterval"/>, or at once when <paramref name="now"/> is
    /// set), and the history's trim when that is due. Null when nothing is due or a write or merge
    /// is under way; otherwise the document's persistence is held until <see cref="EndSnapshotAsync"/>.
    /// </summary>
    public PendingSnapshot? BeginSnapshot(bool now)
    {
        lock (_lock)
        {
            if (_state != DocumentState.Serving)
            {
                return null;
            }
            var due = _committed > _fileRevision && (now || (_dirtySince is { } since
                && time.GetElapsedTime(since) >= options.SnapshotDelay
                && (_writtenAt == 0 || time.GetElapsedTime(_writtenAt) >= SnapshotInterval)));
            var trimDue = now || _trimmedAt == 0 || time.GetElapsedTime(_trimmedAt) >= TrimInterval;
            if ((!due && !trimDue) || !_persistence.Wait(0))
            {
                return null;
            }
            var write = due
                ? new SnapshotWrite(key, _durableText.ToString(), _fileVersion, _log[(int)(_committed - _baseRevision - 1)].UserId)
                : null;
            return new PendingSnapshot(this, now, write, _committed, _dirtySince);
        }
    }

    /// <summary>
    /// Ends a snapshot with what became of its write: recorded when written, merged when someone
    /// else wrote the file since (their change merged and written back with ours), the live state
    /// dropped when the file is gone; then the history trimmed if due. Lets go of the persistence.
    /// </summary>
    /// <exception cref="RpcException">The write, or the merge's, failed in a way that only a later try can mend.</exception>
    public async Task EndSnapshotAsync(PendingSnapshot snapshot, SnapshotWriteResult? result, CancellationToken cancellationToken)
    {
        try
        {
            if (snapshot.Write is { } write)
            {
                switch (result?.Status)
                {
                    case StatusCode.OK:
                        await RecordWrittenAsync(result.Version, snapshot.Revision, write.Text, snapshot.DirtySince);
                        break;
                    case StatusCode.FailedPrecondition:
                        await MergeFileCoreAsync(Guid.Empty, cancellationToken);
                        break;
                    default:
                        throw new RpcException(new Status(result?.Status ?? StatusCode.Unknown, result?.Detail ?? "not written"));
                }
            }
            await TrimAsync(cancellationToken);
            if (snapshot.Now)
            {
                // Taken over from a dead owner: Redis is told when to look at it again (or never).
                await store.MarkPersistedAsync(key, _fileVersion, _fileRevision, time.GetUtcNow(), NextTrimVisit());
            }
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            // The file or the workspace is gone; the editors are told with the notice.
            logger.LogInformation("{Path} of workspace {WorkspaceId} is gone; its live state is dropped", key.Path, key.WorkspaceId);
            await store.DropAsync(key);
            await store.PublishAsync(key, 'c', "", ServerFrames.Closed(key.Path, "deleted", null));
        }
        finally
        {
            _persistence.Release();
        }
    }

    /// <summary>The file changed to <paramref name="version"/> (an event, or another instance passing one on): merged unless it is a write of ours.</summary>
    public async Task MergeFileAsync(long version, Guid changedBy, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (version <= _fileVersion || _state != DocumentState.Serving)
            {
                return;
            }
        }
        await _persistence.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                // A write of ours that was under way when the event came is recorded by now.
                if (version <= _fileVersion)
                {
                    return;
                }
            }
            await MergeFileCoreAsync(changedBy, cancellationToken);
        }
        finally
        {
            _persistence.Release();
        }
    }

    private async Task RecordWrittenAsync(long version, long revision, string text, long? dirtySince)
    {
        lock (_lock)
        {
            _fileVersion = version;
            _fileRevision = revision;
            _fileText = text;
            _writtenAt = time.GetTimestamp();
            _dirtySince = _committed > revision ? _writtenAt : null;
        }
        if (dirtySince is { } since)
        {
            metrics.SnapshotWritten(time.GetElapsedTime(since));
        }
        await store.MarkPersistedAsync(key, version, revision, time.GetUtcNow(), NextTrimVisit());
    }

    /// <summary>
    /// Brings the file's content in: the difference from what the file last held becomes an
    /// operation at the revision it held, transformed and sequenced like anyone's, so both
    /// sides' edits survive; then the merged text is written back, so file and revision agree.
    /// </summary>
    private async Task MergeFileCoreAsync(Guid changedBy, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxMergeAttempts; attempt++)
        {
            var file = await files.ReadAsync(key, cancellationToken);
            if (file is null)
            {
                return;
            }
            var (text, version) = file.Value;
            Task committed;
            long fileRevision;
            lock (_lock)
            {
                if (_state != DocumentState.Serving || version <= _fileVersion)
                {
                    return;
                }
                var change = TextDiff.Between(_fileText, text);
                if (change.IsNoop)
                {
                    _fileVersion = version;
                    fileRevision = _fileRevision;
                    committed = Task.CompletedTask;
                }
                else
                {
                    for (var i = (int)(_fileRevision - _baseRevision); i < _log.Count; i++)
                    {
                        change = TextOperation.Transform(change, _log[i].Op).APrime;
                    }
                    var entry = new LogEntry(_head + 1, change, LogEntry.FileClientId, $"file:{version}", changedBy, time.GetUtcNow().ToUnixTimeMilliseconds());
                    Sequence(entry);
                    Queue(new OutgoingFrame(entry.Revision, Entry: entry));
                    // The file holds the text of the merged revision only if nothing was typed
                    // meanwhile; it is written back at once, after which it holds exactly that.
                    _fileVersion = version;
                    _fileText = text;
                    _fileRevision = fileRevision = entry.Revision;
                    committed = WhenCommitted(entry.Revision);
                    logger.LogInformation("Merging version {Version} of {Path} (workspace {WorkspaceId}) into the live document as revision {Revision}",
                        version, key.Path, key.WorkspaceId, entry.Revision);
                }
            }
            await committed;
            await store.MarkPersistedAsync(key, version, fileRevision, time.GetUtcNow(), time.GetUtcNow());

            string merged;
            long revision;
            lock (_lock)
            {
                if (_state != DocumentState.Serving)
                {
                    return;
                }
                merged = _durableText.ToString();
                revision = _committed;
            }
            var written = await files.WriteAsync(key, merged, version, changedBy, cancellationToken);
            if (written is not null)
            {
                await RecordWrittenAsync(written.Value, revision, merged, null);
                return;
            }
        }
        throw new ProtocolException(ErrorCodes.RateLimited, $"{key.Path} is too busy to merge its file change now");
    }

    /// <summary>Forgets the operations that are in the file and older than the replay window (once a minute at most).</summary>
    private async Task TrimAsync(CancellationToken cancellationToken)
    {
        long epoch, oldBase, trimTo;
        string baseText;
        List<LogEntry> trimmed;
        lock (_lock)
        {
            _trimmedAt = time.GetTimestamp();
            var keepAfter = (time.GetUtcNow() - options.History).ToUnixTimeMilliseconds();
            var count = 0;
            while (count < _log.Count && _log[count].Revision <= _fileRevision && _log[count].AtUnixMs < keepAfter)
            {
                count++;
            }
            if (count == 0)
            {
                return;
            }
            epoch = _epoch;
            oldBase = _baseRevision;
            baseText = _baseText;
            trimmed = _log.GetRange(0, count);
            trimTo = trimmed[^1].Revision;
        }
        var newBaseText = DocumentText.Replay(baseText, trimmed.Select(entry => entry.Op));
        cancellationToken.ThrowIfCancellationRequested();
        if (!await store.TrimAsync(key, epoch, oldBase, trimTo, newBaseText))
        {
            return;
        }
        lock (_lock)
        {
            if (_baseRevision != oldBase)
            {
                return;
            }
            _log.RemoveRange(0, trimmed.Count);
            foreach (var entry in trimmed)
            {
                _applied.Remove(entry.DedupeKey);
            }
            _baseRevision = trimTo;
            _baseText = newBaseText;
        }
        await store.MarkPersistedAsync(key, _fileVersion, _fileRevision, time.GetUtcNow(), NextTrimVisit());
    }

    /// <summary>When the oldest kept operation leaves the replay window (for an instance that finds the document closed then).</summary>
    private DateTimeOffset? NextTrimVisit()
    {
        lock (_lock)
        {
            return _log.Count == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(_log[0].AtUnixMs) + options.History;
        }
    }
}
