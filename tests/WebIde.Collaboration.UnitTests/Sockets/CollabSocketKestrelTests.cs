using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Sockets;

/// <summary>
/// The service's WebSocket pipeline on a real Kestrel socket: the coalescing stream is under the
/// WebSocket that ASP.NET Core accepts, and a burst of frames costs Kestrel's transport a few flushes.
/// </summary>
public sealed class CollabSocketKestrelTests
{
    private const int FrameCount = 500;

    private static readonly List<byte[]> Frames = Enumerable.Range(0, FrameCount)
        .Select(i => Encoding.UTF8.GetBytes($$"""{"type":"op","path":"a.py","revision":{{i}},"op":[{{i}},"{{new string('x', i % 300)}}"]}"""))
        .ToList();

    private WebApplication _app = null!;
    private Uri _server = null!;
    private int _transportFlushes;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
            listen.Use(next => connection =>
            {
                connection.Transport = new FlushCountingPipe(connection.Transport, () => Interlocked.Increment(ref _transportFlushes));
                return next(connection);
            })));
        _app = builder.Build();
        // As the service's own pipeline has them (Extensions.MapApplicationEndpoints).
        _app.UseCollabSocketWriteCoalescing();
        _app.UseWebSockets();
        _app.Map("/ws/collab/{id}", ServeFramesAsync);
        _app.Map("/ws/echo", ServeFramesAsync);
        await _app.StartAsync();
        _server = new Uri(_app.Urls.Single().Replace("http://", "ws://", StringComparison.Ordinal));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    [Test]
    public async Task AnEditorsSocketRunsOverTheCoalescingStreamAndABurstTakesFewFlushes()
    {
        var (received, flushes) = await ReceiveAsync("/ws/collab/w1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(["coalescing", .. Frames.Select(Encoding.UTF8.GetString)]).AsCollection);
            Assert.That(flushes, Is.LessThan(FrameCount / 10), "the handshake, a few batches and the close");
        }
        TestContext.Out.WriteLine($"{FrameCount} frames through Kestrel, coalesced: {flushes} transport flushes");
    }

    [Test]
    public async Task OtherSocketsAreLeftAsTheyAre()
    {
        // /ws/echo is the benchmark's floor: a bare WebSocket, each frame written and flushed alone.
        var (received, flushes) = await ReceiveAsync("/ws/echo");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(["plain", .. Frames.Select(Encoding.UTF8.GetString)]).AsCollection);
            Assert.That(flushes, Is.GreaterThanOrEqualTo(FrameCount), "Kestrel flushes on every write, and the WebSocket writes every frame");
        }
        TestContext.Out.WriteLine($"{FrameCount} frames through Kestrel, not coalesced: {flushes} transport flushes");
    }

    /// <summary>Queues the frames before the socket is served, and says first whether its writes are coalesced.</summary>
    private static async Task ServeFramesAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = CollabSocketApi.KeepAlive });
        var writes = context.Features.Get<CoalescingUpgradeFeature>()?.Stream;
        var connection = new CollabConnection(Guid.NewGuid(), Guid.NewGuid(), "ana", null, 4 << 20);
        connection.Send(Encoding.UTF8.GetBytes(writes is null ? "plain" : "coalescing"));
        Frames.ForEach(connection.Send);
        await new CollabSocket(socket, writes, connection, AnyAllowance.Of(), hub: null!, new EveryoneEdits(), new CollaborationOptions(), TimeProvider.System)
            .ServeAsync(context.RequestAborted);
    }

    private async Task<(List<string> Received, int Flushes)> ReceiveAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new ClientWebSocket();
        // Counted from before the handshake: the frames may be on their way before ConnectAsync returns.
        var before = Volatile.Read(ref _transportFlushes);
        await client.ConnectAsync(new Uri(_server, path), timeout.Token);

        var received = new List<string>();
        var buffer = new byte[64 * 1024];
        while (received.Count < FrameCount + 1)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            received.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        return (received, Volatile.Read(ref _transportFlushes) - before);
    }
}
