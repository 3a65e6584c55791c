using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Ot;

namespace WebIde.Collaboration.Persistence;

/// <summary>
/// Brings a change made to the file outside the editor (a REST <c>PUT</c>, another service) into
/// the live document: the difference from what the file last held becomes an operation at the
/// revision the file held, transformed and appended like anyone's, so both sides' edits survive.
/// </summary>
public sealed class FileSync(DocumentStore store, FileSource files, TimeProvider time, ILogger<FileSync> logger)
{
    public const string FileClientId = "file";

    private const int MaxAttempts = 20;

    /// <summary>Merges the file's current content; the caller holds the document's lease.</summary>
    public async Task MergeAsync(DocumentKey key, Guid changedBy, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.LoadAsync(key);
            if (stored is null)
            {
                return;
            }
            var file = await files.ReadAsync(key, cancellationToken);
            if (file is null || file.Value.Version <= stored.FileVersion)
            {
                return;
            }

            var (text, version) = file.Value;
            var change = TextDiff.Between(stored.TextAt(stored.FileRevision), text);
            if (change.IsNoop)
            {
                await store.MarkPersistedAsync(key, version, stored.FileRevision, time.GetUtcNow(), time.GetUtcNow());
                return;
            }
            foreach (var entry in stored.Entries.Where(entry => entry.Revision > stored.FileRevision))
            {
                change = TextOperation.Transform(change, entry.Op).APrime;
            }

            var merged = new LogEntry(stored.Revision + 1, change, FileClientId, $"file:{version}", changedBy, time.GetUtcNow().ToUnixTimeMilliseconds());
            var result = await store.AppendAsync(key, merged);
            if (result.Outcome is AppendOutcome.Appended or AppendOutcome.Duplicate)
            {
                // The file matches the merged revision only when nothing was typed meanwhile; the
                // next snapshot writes the merged text back either way.
                await store.MarkPersistedAsync(key, version, result.Revision, time.GetUtcNow(), time.GetUtcNow());
                await store.ScheduleAsync(key, time.GetUtcNow());
                logger.LogInformation("Merged version {Version} of {Path} (workspace {WorkspaceId}) into the live document as revision {Revision}",
                    version, key.Path, key.WorkspaceId, result.Revision);
                return;
            }
            if (result.Outcome == AppendOutcome.Missing)
            {
                return;
            }
        }
        throw new ProtocolException(ErrorCodes.RateLimited, $"{key.Path} is too busy to merge its file change now");
    }
}
