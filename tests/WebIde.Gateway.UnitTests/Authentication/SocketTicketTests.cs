using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WebIde.Gateway.UnitTests.Routing;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Gateway.UnitTests.Authentication;

/// <summary>
/// docs/api.md §7: a socket opens with a single-use ticket instead of the access token in its URL.
/// The gateway redeems it once and forwards the token as a bearer header, the ticket removed; a
/// spent, expired or unknown ticket is refused as a bad token is on that socket.
/// </summary>
public sealed class SocketTicketTests
{
    private const string Workspace = "6f1c0f1e-0000-4000-8000-000000000001";

    [TestCase("/ws/collab/" + Workspace, EchoServices.Collaboration)]
    [TestCase("/ws/exec/" + Workspace, EchoServices.Execution)]
    [TestCase("/ws/lsp/" + Workspace + "/python", EchoServices.Execution)]
    public async Task ATicketOpensASocketWithItsTokenAsBearerAndNoTicketInTheUrl(string path, string listener)
    {
        var token = TicketGateway.AccessToken();
        var ticket = await TicketGateway.Tickets.IssueAsync(token, SocketTickets.MaxLifetime);

        var seen = await OpenAsync($"{path}?client=abc.def&ticket={ticket}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Listener, Is.EqualTo(listener));
            Assert.That(seen.Authorization, Is.EqualTo($"Bearer {token}"));
            Assert.That(seen.Target, Is.EqualTo($"{path}?client=abc.def"), "the ticket stops at the gateway; the rest of the query goes on");
        }
    }

    [TestCase("/ws/collab/" + Workspace)]
    [TestCase("/ws/exec/" + Workspace)]
    public async Task ASecondUseOfATicketIsRefusedAsABadTokenIs(string path)
    {
        var ticket = await TicketGateway.Tickets.IssueAsync(TicketGateway.AccessToken(), SocketTickets.MaxLifetime);
        await OpenAsync($"{path}?ticket={ticket}");

        var (status, challenge) = await RefusedAsync($"{path}?ticket={ticket}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(challenge, Does.Contain("invalid_token"));
    }

    [Test]
    public async Task AnExpiredTicketIsRefusedAsABadTokenIs()
    {
        var ticket = await TicketGateway.Tickets.IssueAsync(TicketGateway.AccessToken(), TimeSpan.FromMilliseconds(300));
        await Task.Delay(TimeSpan.FromMilliseconds(700));

        var (status, challenge) = await RefusedAsync($"/ws/collab/{Workspace}?ticket={ticket}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(challenge, Does.Contain("invalid_token"));
    }

    [TestCase("unknown-ticket")]
    [TestCase("")]
    public async Task AnUnknownTicketIsRefusedAsABadTokenIs(string ticket)
    {
        var (status, _) = await RefusedAsync($"/ws/collab/{Workspace}?ticket={ticket}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>docs/api.md §6 closes a language server's socket with a bad token with 4001 at execution: so with a spent ticket, which goes no further.</summary>
    [Test]
    public async Task ALanguageServerSocketWithASpentTicketOpensAtExecutionWithoutTokenOrTicket()
    {
        var ticket = await TicketGateway.Tickets.IssueAsync(TicketGateway.AccessToken(), SocketTickets.MaxLifetime);
        var path = $"/ws/lsp/{Workspace}/python";
        await OpenAsync($"{path}?ticket={ticket}");

        var seen = await OpenAsync($"{path}?ticket={ticket}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen.Listener, Is.EqualTo(EchoServices.Execution));
            Assert.That(seen.Authorization, Is.Empty);
            Assert.That(seen.Target, Is.EqualTo(path));
        }
    }

    [Test]
    public async Task ATicketForATokenTheGatewayCannotVerifyIsRefused()
    {
        var ticket = await TicketGateway.Tickets.IssueAsync("abc.def.ghi", SocketTickets.MaxLifetime);

        var (status, _) = await RefusedAsync($"/ws/collab/{Workspace}?ticket={ticket}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ATicketIsNoAccessToken()
    {
        var ticket = await TicketGateway.Tickets.IssueAsync(TicketGateway.AccessToken(), SocketTickets.MaxLifetime);
        using var client = TicketGateway.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/workspaces", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ticket);

        using var asBearer = await client.SendAsync(request);
        var (asQueryToken, _) = await RefusedAsync($"/ws/collab/{Workspace}?access_token={ticket}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(asBearer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(asQueryToken, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        Assert.That(await TicketGateway.Tickets.RedeemAsync(ticket), Is.Not.Null, "neither spent it");
    }

    [Test]
    public async Task OnlySocketsRedeemTickets()
    {
        var ticket = await TicketGateway.Tickets.IssueAsync(TicketGateway.AccessToken(), SocketTickets.MaxLifetime);
        using var client = TicketGateway.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri($"/api/workspaces?ticket={ticket}", UriKind.Relative));
        var seen = await response.Content.ReadFromJsonAsync<EchoedRequest>(JsonSerializerOptions.Web);

        Assert.That(seen?.Authorization, Is.Empty, "a REST call authenticates with its bearer header");
        Assert.That(await TicketGateway.Tickets.RedeemAsync(ticket), Is.Not.Null, "the ticket is still unspent");
    }

    private static async Task<EchoedRequest> OpenAsync(string target)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(SocketAddress, target), deadline.Token);
        var seen = JsonSerializer.Deserialize<EchoedRequest>(await socket.ReceiveTextAsync(deadline.Token), JsonSerializerOptions.Web)!;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
        return seen;
    }

    private static async Task<(HttpStatusCode Status, string Challenge)> RefusedAsync(string target)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        Assert.That(async () => await socket.ConnectAsync(new Uri(SocketAddress, target), deadline.Token), Throws.InstanceOf<WebSocketException>());
        var challenge = socket.HttpResponseHeaders?.TryGetValue("WWW-Authenticate", out var values) == true ? string.Join(",", values) : "";
        return (socket.HttpStatusCode, challenge);
    }

    private static Uri SocketAddress => new UriBuilder(TicketGateway.Gateway.HttpAddress) { Scheme = "ws" }.Uri;
}
