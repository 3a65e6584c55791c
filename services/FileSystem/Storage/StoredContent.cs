using WebIde.ServiceDefaults.Encryption;

namespace WebIde.FileSystem.Storage;

/// <summary>
/// A file's content as every store adapter keeps it: sealed (docs/api.md §7), so neither the
/// SQLite file nor MongoDB holds it in the clear. Only the stored bytes change: sizes, quotas,
/// versions and entity tags are the content's own. Content stored before encryption at rest has
/// no seal's header: it is read as it is, and sealed when its file is next written.
/// </summary>
public sealed class StoredContent(ContentCipher cipher)
{
    private static readonly ContentPurpose Purpose = new("filesystem/file-content");

    /// <summary>For tests that build an adapter by hand: content sealed under a key of its own.</summary>
    public static StoredContent Throwaway() => new(ContentCipher.Throwaway());

    public byte[] Seal(ReadOnlySpan<byte> content) => cipher.Seal(Purpose, content);

    public byte[] Open(byte[] stored) => cipher.OpenOrPlaintext(Purpose, stored);
}
