using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace WebIde.Gateway.Listening;

/// <summary>
/// With <c>Gateway:ShareListenPorts</c> (<c>./webide up --scale N</c>), several gateway processes listen on the same
/// public ports: each binds its listening sockets with SO_REUSEPORT, and the kernel spreads new connections over
/// them. Nothing stands in front of the gateways, so each still sees the client's own address (rate limits count
/// by it), and when one dies the others keep the ports. Only sockets of the same user may share a port, so
/// another user on the machine cannot take connections this way.
/// </summary>
public static class SharedListenPorts
{
    public const string Setting = "Gateway:ShareListenPorts";

    // Linux's values (asm-generic/socket.h); the option is Linux's and BSD's, with other numbers there.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static IHostApplicationBuilder AddSharedListenPorts(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(Setting))
        {
            return builder;
        }
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"{Setting} needs Linux's SO_REUSEPORT; run one gateway per port here.");
        }
        builder.Services.Configure<SocketTransportOptions>(options => options.CreateBoundListenSocket = Bind);
        return builder;
    }

    /// <summary>A listening socket bound to <paramref name="endpoint"/> that other sockets of this user may bind too.</summary>
    public static Socket Bind(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint address)
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(address);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
