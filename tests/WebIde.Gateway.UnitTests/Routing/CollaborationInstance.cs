using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// Stands in for one collaboration instance, on a Kestrel server of its own so that a test can
/// stop it alone: a WebSocket gets, as its first message, the instance's name and the target it
/// asked for (<see cref="EchoedRequest"/>); any other request (the gateway's <c>/alive</c> probe)
/// gets 200.
/// </summary>
internal sealed class CollaborationInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenOptions _listener;
    private bool _stopped;

    private CollaborationInstance(string name, WebApplication app, ListenOptions listener)
    {
        Name = name;
        _app = app;
        _listener = listener;
    }

    /// <summary>The service name the gateway's service discovery knows it by: <c>collaboration-1</c>, …</summary>
    public string Name { get; }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.EndPoint).Port}");

    public static async Task<CollaborationInstance> StartAsync(string name)
    {
        ListenOptions? listener = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listener = listen;
            }));

        var app = builder.Build();
        app.UseWebSockets();
        app.Run(context => AnswerAsync(name, context));
        await app.StartAsync();
        return new CollaborationInstance(name, app, listener!);
    }

    /// <summary>Stops listening and drops its open sockets, as an instance that dies does.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        // Already cancelled: Kestrel closes what is open instead of waiting for it.
        await _app.StopAsync(new CancellationToken(canceled: true));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task AnswerAsync(string name, HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var seen = new EchoedRequest(
            name,
            context.Request.Method,
            context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
            context.Request.Protocol,
            context.Request.Headers.Authorization.ToString());
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(seen, JsonSerializerOptions.Web), WebSocketMessageType.Text, true, ended.Token);
            var buffer = new byte[1024];
            while ((await socket.ReceiveAsync(buffer, ended.Token)).MessageType != WebSocketMessageType.Close)
            {
                // Only the first message matters here; the rest is read and dropped.
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ended.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The client left, or the instance is stopping.
        }
    }
}
