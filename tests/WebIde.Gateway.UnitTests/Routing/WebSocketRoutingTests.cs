using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>The browser's WebSockets open through the gateway and carry messages both ways.</summary>
public sealed class WebSocketRoutingTests
{
    [TestCase("/ws/collab/6f1c0f1e-0000-4000-8000-000000000001?client=abc.def", EchoServices.Collaboration)]
    [TestCase("/ws/exec/6f1c0f1e-0000-4000-8000-000000000001?client=abc.def", EchoServices.Execution)]
    [TestCase("/ws/lsp/6f1c0f1e-0000-4000-8000-000000000001/python?client=abc.def", EchoServices.Execution)]
    public async Task ASocketReachesItsServiceWithItsQueryAndEchoes(string target, string listener)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(GatewayUnderTest.Gateway.HttpAddress) { Scheme = "ws" }.Uri;

        await socket.ConnectAsync(new Uri(address, target), deadline.Token);
        var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(deadline.Token), JsonSerializerOptions.Web);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"join","path":"main.py"}"""), WebSocketMessageType.Text, true, deadline.Token);
        var echoed = await socket.ReceiveTextAsync(deadline.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen?.Listener, Is.EqualTo(listener));
            Assert.That(seen?.Target, Is.EqualTo(target));
            Assert.That(echoed, Is.EqualTo("""echo:{"type":"join","path":"main.py"}"""));
        }
    }

    [TestCase("/ws/collab/6f1c0f1e-0000-4000-8000-000000000001?access_token=abc.def")]
    [TestCase("/ws/exec/6f1c0f1e-0000-4000-8000-000000000001?access_token=abc.def")]
    public async Task ASocketWithATokenTheGatewayCannotVerifyIsRefusedBeforeItOpens(string target)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        var address = new UriBuilder(GatewayUnderTest.Gateway.HttpAddress) { Scheme = "ws" }.Uri;

        Assert.That(async () => await socket.ConnectAsync(new Uri(address, target), deadline.Token), Throws.InstanceOf<WebSocketException>());
        Assert.That(socket.HttpStatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized));
    }

    /// <summary>
    /// docs/api.md §6 closes a language server's socket with a bad token with 4001, which only an opened socket
    /// can carry: the gateway lets it through to execution, which validates the token itself and closes it.
    /// </summary>
    [Test]
    public async Task ALanguageServerSocketWithATokenTheGatewayCannotVerifyOpensAtExecutionToBeClosedThere()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket();
        var address = new UriBuilder(GatewayUnderTest.Gateway.HttpAddress) { Scheme = "ws" }.Uri;
        const string target = "/ws/lsp/6f1c0f1e-0000-4000-8000-000000000001/python?access_token=abc.def";

        await socket.ConnectAsync(new Uri(address, target), deadline.Token);
        var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(deadline.Token), JsonSerializerOptions.Web);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);

        Assert.That(seen?.Listener, Is.EqualTo(EchoServices.Execution));
    }

    /// <summary>A ticket cannot be redeemed while Redis is down (this gateway's Redis listens nowhere): try again, rather than sign in again.</summary>
    [Test]
    public async Task ASocketTicketWhileRedisIsDownIsRefusedWith503()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        var address = new UriBuilder(GatewayUnderTest.Gateway.HttpAddress) { Scheme = "ws" }.Uri;

        Assert.That(async () => await socket.ConnectAsync(new Uri(address, "/ws/collab/6f1c0f1e-0000-4000-8000-000000000001?ticket=abc"), deadline.Token), Throws.InstanceOf<WebSocketException>());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(socket.HttpStatusCode, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
            Assert.That(socket.HttpResponseHeaders?.ContainsKey("Retry-After"), Is.True);
        }
    }
}
