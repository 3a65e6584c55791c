namespace WebIde.ServiceDefaults.Files;

/// <summary>
/// Folders and files only the platform's own user may read (docs/api.md §7): the data folder
/// (the services' databases, Redis's and RabbitMQ's files), the installation's secrets, the TLS
/// private keys, the content key ring. The one place that knows the modes and how such a file is
/// written; the AppHost links it in, as it does the key ring's file.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// A folder of the owner's that the members of its group may pass through to what in it is theirs, but not
    /// list or change (0710): how the services' user reaches its own folders in the data folder (docs/platform.md).
    /// </summary>
    public const UnixFileMode PassableFolderMode = FolderMode | UnixFileMode.GroupExecute;

    public const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Creates the folder with <paramref name="mode"/> (0700), or sets it to that when an older installation made it wider.</summary>
    public static string CreateFolder(string path, UnixFileMode mode = FolderMode)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path).FullName;
        }
        var folder = Directory.CreateDirectory(path, mode);
        if (folder.UnixFileMode != mode)
        {
            folder.UnixFileMode = mode;
        }
        return folder.FullName;
    }

    /// <summary>Writes a secret: no other user can read it at any moment, and a reader never sees half a file.</summary>
    public static void WriteSecret(string path, string text) => Write(path, stream => WriteText(stream, text), SecretMode, replace: true);

    /// <summary>
    /// Writes a secret with <paramref name="write"/>, as whole as <see cref="WriteSecret(string, string)"/>.
    /// Without <paramref name="replace"/> a file that is there already stays, and the write fails with an
    /// <see cref="IOException"/>: the first of two writers wins.
    /// </summary>
    public static void WriteSecret(string path, Action<Stream> write, bool replace) => Write(path, write, SecretMode, replace);

    /// <summary>Writes what others may read (a certificate), as whole as <see cref="WriteSecret(string, string)"/>.</summary>
    public static void WritePublic(string path, string text) => Write(path, stream => WriteText(stream, text), PublicMode, replace: true);

    /// <summary>
    /// A new file, with its mode from its creation, that replaces the old one in one rename. The new file keeps the
    /// old one's owner: the AppHost (root) rewrites files it handed to the services' user (the content key ring at
    /// rotation, the gateway's TLS key at renewal), and a file given back to root would lock that user out.
    /// </summary>
    private static void Write(string path, Action<Stream> write, UnixFileMode mode, bool replace)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
            }
            if (replace)
            {
                KeepOwner(path, temporary);
            }
            File.Move(temporary, path, overwrite: replace);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Only root can give a file away, and only root's rewrites need to.</summary>
    private static void KeepOwner(string path, string replacement)
    {
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess || !File.Exists(path))
        {
            return;
        }
        var owner = FileOwner.Of(path);
        if (owner != FileOwner.Of(replacement))
        {
            owner.Apply(replacement);
        }
    }

    // No byte-order mark: redis-server refuses a config file that starts with one, RabbitMQ its definitions.
    private static void WriteText(Stream stream, string text)
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(text);
    }
}
