using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Aspire.Hosting.Testing;
using WebIde.IntegrationTests.Files;

namespace WebIde.IntegrationTests.Identity;

/// <summary>
/// docs/api.md §7 over real sockets through the gateway: a single-use ticket opens a socket in place
/// of the access token, once; spent, expired or unknown, it is refused exactly as a bad token is
/// on that socket.
/// </summary>
public sealed class SocketTicketTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ATicketOpensACollaborationSocketOnceAndASecondUseIsRefusedAsABadTokenIs()
    {
        using var workspace = await FileWorkspace.CreateAsync("ticket");
        var ticket = await TicketAsync(workspace.Client, workspace.AccessToken);

        using (var socket = await ConnectAsync($"/ws/collab/{workspace.Id}?ticket={ticket.Ticket}"))
        {
            await SendAsync(socket, new { type = "join", path = "main.py" });
            var joined = await ReceiveAsync(socket);
            Assert.That(joined.GetProperty("type").GetString(), Is.EqualTo("joined"), joined.GetRawText());
        }

        var again = await RefusedStatusAsync($"/ws/collab/{workspace.Id}?ticket={ticket.Ticket}");
        var badToken = await RefusedStatusAsync($"/ws/collab/{workspace.Id}?access_token=not.a.token");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ticket.ExpiresIn, Is.InRange(1, 30));
            Assert.That(again, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(again, Is.EqualTo(badToken));
        }
    }

    [Test]
    public async Task AnExpiredTicketIsRefusedAsABadTokenIs()
    {
        using var workspace = await FileWorkspace.CreateAsync("ticket");
        var ticket = await TicketAsync(workspace.Client, workspace.AccessToken);

        await Task.Delay(TimeSpan.FromSeconds(ticket.ExpiresIn + 1));

        Assert.That(await RefusedStatusAsync($"/ws/collab/{workspace.Id}?ticket={ticket.Ticket}"), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnUnknownTicketIsRefusedAsABadTokenIs()
    {
        using var workspace = await FileWorkspace.CreateAsync("ticket");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await RefusedStatusAsync($"/ws/collab/{workspace.Id}?ticket=not-a-ticket"), Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await RefusedStatusAsync($"/ws/exec/{workspace.Id}?ticket=not-a-ticket"), Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [Test]
    public async Task ATicketOpensAnExecSocket()
    {
        using var workspace = await FileWorkspace.CreateAsync("ticket");
        var ticket = await TicketAsync(workspace.Client, workspace.AccessToken);

        using var socket = await ConnectAsync($"/ws/exec/{workspace.Id}?ticket={ticket.Ticket}");

        Assert.That(socket.State, Is.EqualTo(WebSocketState.Open));
    }

    /// <summary>docs/api.md §6 closes a language server's socket with a bad token with 4001: so with a spent ticket.</summary>
    [Test]
    public async Task ALanguageServerSocketWithASpentTicketIsClosedWith4001AsWithABadToken()
    {
        using var workspace = await FileWorkspace.CreateAsync("ticket");
        var ticket = await TicketAsync(workspace.Client, workspace.AccessToken);
        using (await ConnectAsync($"/ws/lsp/{workspace.Id}/python?ticket={ticket.Ticket}"))
        {
        }

        using var spent = await ConnectAsync($"/ws/lsp/{workspace.Id}/python?ticket={ticket.Ticket}");
        using var badToken = await ConnectAsync($"/ws/lsp/{workspace.Id}/python?access_token=not.a.token");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)await CloseStatusAsync(spent), Is.EqualTo(4001));
            Assert.That((int?)await CloseStatusAsync(badToken), Is.EqualTo(4001));
        }
    }

    [Test]
    public async Task ATicketIsNoBearerToken()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client);
        var ticket = await TicketAsync(client, tokens.Access());

        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/auth/me", ticket.Ticket));

        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task WithoutATokenThereIsNoTicket()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.PostAsync("/api/auth/ticket", content: null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private sealed record SocketTicket(string Ticket, int ExpiresIn);

    private static async Task<SocketTicket> TicketAsync(HttpClient client, string accessToken)
    {
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/ticket", accessToken));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SocketTicket>())!;
    }

    private static Uri SocketAddress(string target) => Platform.GatewaySocketAddress(target);

    private static async Task<ClientWebSocket> ConnectAsync(string target)
    {
        var socket = new ClientWebSocket().Trusting();
        using var deadline = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(SocketAddress(target), deadline.Token);
        return socket;
    }

    private static async Task<HttpStatusCode> RefusedStatusAsync(string target) => (await RefusedUpgrade.OfAsync(target)).Status;

    private static async Task SendAsync(ClientWebSocket socket, object message)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, JsonSerializerOptions.Web), WebSocketMessageType.Text, true, deadline.Token);
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, deadline.Token);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    private static async Task<WebSocketCloseStatus?> CloseStatusAsync(ClientWebSocket socket)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, deadline.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return received.CloseStatus;
            }
        }
    }
}
