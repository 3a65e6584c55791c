namespace WebIde.AppHost.Platform;

/// <summary>
/// Folders only the platform's own user may enter (docs/api.md §7): the data folder holds the
/// services' databases, Redis's and RabbitMQ's files and the installation's secrets.
/// </summary>
public static class PrivateFolder
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder 0700, or narrows it to 0700 when an older installation made it wider.</summary>
    public static string Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path).FullName;
        }
        var folder = Directory.CreateDirectory(path, OwnerOnly);
        if (folder.UnixFileMode != OwnerOnly)
        {
            folder.UnixFileMode = OwnerOnly;
        }
        return folder.FullName;
    }
}
