using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// Stands in for the four services behind the gateway: one real Kestrel server with a listener
/// per service endpoint, answering every request with JSON that names the listener that got it
/// and the exact request target it saw.
/// </summary>
internal sealed class EchoServices : IAsyncDisposable
{
    public const string Identity = "identity";
    public const string FileSystem = "filesystem";
    public const string Collaboration = "collaboration";
    public const string Execution = "execution";
    public const string ExecutionGrpc = "execution-grpc";

    private static readonly string[] Listeners = [Identity, FileSystem, Collaboration, Execution, ExecutionGrpc];

    private readonly WebApplication _app;
    private readonly Dictionary<string, ListenOptions> _listeners;
    private Dictionary<int, string> _byPort = [];

    private EchoServices(WebApplication app, Dictionary<string, ListenOptions> listeners)
    {
        _app = app;
        _listeners = listeners;
    }

    public static async Task<EchoServices> StartAsync()
    {
        var listeners = new Dictionary<string, ListenOptions>();
        // Empty: no configuration files, so nothing binds but the listeners below.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            foreach (var name in Listeners)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = name == ExecutionGrpc ? HttpProtocols.Http2 : HttpProtocols.Http1;
                    listeners[name] = listen;
                });
            }
        });

        var app = builder.Build();
        var echo = new EchoServices(app, listeners);
        app.UseWebSockets();
        app.Run(echo.AnswerAsync);
        await app.StartAsync();
        echo._byPort = listeners.ToDictionary(listener => ((IPEndPoint)listener.Value.EndPoint).Port, listener => listener.Key);
        return echo;
    }

    /// <summary>How many times each listener was asked for its <c>/health</c>.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> HealthAsks { get; } = new();

    public int Port(string listener) => ((IPEndPoint)_listeners[listener].EndPoint).Port;

    /// <summary>Where the gateway's service discovery finds each service.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ServiceDiscoverySettings() =>
    [
        new($"services:{Identity}:http:0", $"http://127.0.0.1:{Port(Identity)}"),
        new($"services:{FileSystem}:http:0", $"http://127.0.0.1:{Port(FileSystem)}"),
        new($"services:{Collaboration}-1:http:0", $"http://127.0.0.1:{Port(Collaboration)}"),
        new($"services:{Collaboration}-2:http:0", $"http://127.0.0.1:{Port(Collaboration)}"),
        new($"services:{Execution}:http:0", $"http://127.0.0.1:{Port(Execution)}"),
        new($"services:{Execution}:grpc:0", $"http://127.0.0.1:{Port(ExecutionGrpc)}"),
    ];

    private async Task AnswerAsync(HttpContext context)
    {
        var seen = new EchoedRequest(
            _byPort[context.Connection.LocalPort],
            context.Request.Method,
            context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
            context.Request.Protocol,
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers["X-Forwarded-For"].ToString(),
            context.Request.Headers["X-Forwarded-Proto"].ToString());

        if (context.WebSockets.IsWebSocketRequest)
        {
            await EchoWebSocketAsync(context, seen);
            return;
        }

        if (context.Request.Path.Value!.EndsWith("/health", StringComparison.Ordinal))
        {
            // What a service's own /health answers, in the shape the gateway aggregates.
            HealthAsks.AddOrUpdate(seen.Listener, 1, (_, asks) => asks + 1);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"status":"Healthy","totalMilliseconds":1,"entries":{"store":{"status":"Healthy","durationMilliseconds":1}}}""");
            return;
        }

        if (context.Request.Path.Value!.EndsWith("/events", StringComparison.Ordinal))
        {
            // A stream that stays open: its first event must reach the client at once.
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(seen, JsonSerializerOptions.Web)}\n\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client left.
            }
            return;
        }

        await context.Response.WriteAsJsonAsync(seen, JsonSerializerOptions.Web);
    }

    private static async Task EchoWebSocketAsync(HttpContext context, EchoedRequest seen)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(seen, JsonSerializerOptions.Web), WebSocketMessageType.Text, true, context.RequestAborted);

        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
            await socket.SendAsync(Encoding.UTF8.GetBytes($"echo:{text}"), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What an echo listener saw: which listener, and the request exactly as it arrived.</summary>
/// <param name="ForwardedFor">The <c>X-Forwarded-For</c> the service got: whom the gateway says the client is.</param>
internal sealed record EchoedRequest(string Listener, string Method, string Target, string Protocol, string Authorization, string ForwardedFor = "", string ForwardedProto = "");
