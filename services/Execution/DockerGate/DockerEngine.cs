using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.DockerGate;

/// <summary>The real engine, over its Unix socket: an HTTP client for ordinary calls, raw connections for hijacked ones.</summary>
public sealed class DockerEngine : IDisposable
{
    private readonly string _socketPath;

    public DockerEngine(IOptions<DockerGateOptions> options)
    {
        _socketPath = options.Value.DockerSocketPath;
        Client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) => new NetworkStream(await ConnectAsync(cancellationToken), ownsSocket: true),
            // The engine restarts now and then (EngineRestartTests): an idle connection is not kept for long.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
        })
        {
            BaseAddress = new Uri("http://docker"),
            // Waits, logs and archives stream for as long as they take; the caller cancels.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public HttpClient Client { get; }

    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => Client.Dispose();
}
