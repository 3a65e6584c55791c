using WebIde.Collaboration.Documents;

namespace WebIde.Collaboration.Storage;

/// <summary>
/// A document as Redis holds it: the text at <see cref="BaseRevision"/> and every operation
/// after it up to <see cref="Revision"/>. The file in the filesystem holds the text at
/// <see cref="FileRevision"/> as its version <see cref="FileVersion"/>.
/// </summary>
public sealed record StoredDocument(
    long BaseRevision, string BaseText, long Revision, long FileVersion, long FileRevision, IReadOnlyList<LogEntry> Entries)
{
    public string TextAt(long revision)
    {
        if (revision < BaseRevision || revision > Revision)
        {
            throw new ArgumentOutOfRangeException(nameof(revision), revision, $"kept revisions are {BaseRevision}..{Revision}");
        }
        return DocumentText.Replay(BaseText, Entries.TakeWhile(entry => entry.Revision <= revision).Select(entry => entry.Op));
    }
}
