namespace WebIde.AppHost.Platform;

/// <summary>
/// Folders and files only the platform's own user may read (docs/api.md §7): the data folder
/// (the services' databases, Redis's and RabbitMQ's files), the installation's secrets, the TLS
/// private keys. The one place that knows the modes and how such a file is written.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PublicMode = SecretMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Creates the folder 0700, or narrows it to 0700 when an older installation made it wider.</summary>
    public static string CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path).FullName;
        }
        var folder = Directory.CreateDirectory(path, FolderMode);
        if (folder.UnixFileMode != FolderMode)
        {
            folder.UnixFileMode = FolderMode;
        }
        return folder.FullName;
    }

    /// <summary>Writes a secret: no other user can read it at any moment, and a reader never sees half a file.</summary>
    public static void WriteSecret(string path, string text) => Write(path, text, SecretMode);

    /// <summary>Writes what others may read (a certificate), as whole as <see cref="WriteSecret"/>.</summary>
    public static void WritePublic(string path, string text) => Write(path, text, PublicMode);

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        using (var writer = new StreamWriter(temporary, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
        {
            writer.Write(text);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
