using WebIde.ServiceDefaults.Files;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// The gate's socket opens to its owner and group only (0660), and is handed to the service's
/// user when it runs as another (<see cref="DockerGateOptions.SocketOwner"/>): whoever can connect
/// can create sandboxes, so no one else may. Its folder is 0700, or 0710 for the services' group
/// when they run as their own user, made so by the AppHost.
/// </summary>
public static class GateSocketPermissions
{
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public static void Apply(string socket, string owner)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the Docker gate listens on a Unix socket");
        }
        File.SetUnixFileMode(socket, SocketMode);
        if (owner.Length == 0)
        {
            return;
        }
        FileOwner.Parse(owner).Apply(socket);
    }
}
