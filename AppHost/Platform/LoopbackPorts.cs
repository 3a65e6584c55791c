using System.Net;
using System.Net.Sockets;

namespace WebIde.AppHost.Platform;

/// <summary>Ports the AppHost picks itself, where the orchestrator cannot (a process's own ports, ports several processes share).</summary>
public static class LoopbackPorts
{
    /// <summary>A port free on loopback now; the kernel may hand it out again once released, so use it at once.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
