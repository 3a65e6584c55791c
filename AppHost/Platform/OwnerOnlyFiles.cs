namespace WebIde.AppHost.Platform.Tls;

/// <summary>
/// Folders and files only the platform's own user may read: private keys (0600) in a folder of their own (0700).
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Creates the folder, or takes away what others may do in it when it exists already.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        Directory.CreateDirectory(folder, OwnerOnlyFolder);
        File.SetUnixFileMode(folder, OwnerOnlyFolder);
    }

    /// <summary>Writes a secret: no other user can read it at any moment, and a reader never sees half a file.</summary>
    public static void WriteSecret(string path, string text) => Write(path, text, OwnerOnlyFile);

    /// <summary>Writes what others may read (a certificate), as whole as <see cref="WriteSecret"/>.</summary>
    public static void WritePublic(string path, string text) => Write(path, text, Readable);

    private static void Write(string path, string text, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            writer.Write(text);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
