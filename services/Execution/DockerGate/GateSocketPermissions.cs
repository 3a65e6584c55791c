using System.Runtime.InteropServices;
using System.Text;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// The gate's socket opens to its owner and group only (0660), and is handed to the service's
/// user when it runs as another (<see cref="DockerGateOptions.SocketOwner"/>): whoever can connect
/// can create sandboxes, so no one else may. Its folder is 0700, made so by the AppHost.
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
        var ids = owner.Split(':');
        if (chown([.. Encoding.UTF8.GetBytes(socket), 0], int.Parse(ids[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(ids[1], System.Globalization.CultureInfo.InvariantCulture)) != 0)
        {
            throw new IOException($"chown {owner} {socket} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    // .NET has no chown; the path goes as NUL-terminated UTF-8 bytes, so nothing needs marshalling.
    [DllImport("libc", SetLastError = true)]
    private static extern int chown(byte[] path, int owner, int group);
}
