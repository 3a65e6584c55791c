using System.Net.WebSockets;
using System.Text;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>Whole text messages off a client socket, for the tests that talk through the gateway.</summary>
public static class WebSocketMessages
{
    public static async Task<string> ReceiveTextAsync(this ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }
}
