using System.Net;
using System.Net.WebSockets;

namespace WebIde.IntegrationTests;

/// <summary>
/// The gateway's HTTP answer to a WebSocket upgrade that must not open (docs/api.md §0, §4, §7):
/// its status, and whether it told the client that the token or ticket was not valid.
/// </summary>
public sealed record RefusedUpgrade(HttpStatusCode Status, string? Authenticate)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary><c>WWW-Authenticate: Bearer error="invalid_token"</c>: refresh the token, or ask for a new ticket.</summary>
    public bool SaysInvalidToken => Authenticate?.Contains("error=\"invalid_token\"", StringComparison.Ordinal) == true;

    /// <summary>Tries to open <paramref name="pathAndQuery"/>; fails the test when it opens.</summary>
    public static async Task<RefusedUpgrade> OfAsync(string pathAndQuery)
    {
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } }.Trusting();
        using var deadline = new CancellationTokenSource(Deadline);
        Assert.That(async () => await socket.ConnectAsync(Platform.GatewaySocketAddress(pathAndQuery), deadline.Token),
            Throws.InstanceOf<WebSocketException>(), $"{pathAndQuery} opened");
        var authenticate = socket.HttpResponseHeaders?.FirstOrDefault(header => string.Equals(header.Key, "WWW-Authenticate", StringComparison.OrdinalIgnoreCase)).Value;
        return new RefusedUpgrade(socket.HttpStatusCode, authenticate is null ? null : string.Join(", ", authenticate));
    }

    public override string ToString() => $"{(int)Status} {Authenticate}";
}
