using System.Net;
using System.Text.Json;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>
/// Who may not open <c>/ws/collab</c> (docs/api.md §0, §4, §7) is refused before the upgrade with
/// the contract's status, and the document stays as it was: its text, its revision, and nobody in
/// it but its owner.
/// </summary>
[Category(HostileCategories.Suite), Category(HostileCategories.WebSocket)]
public sealed class CollabIntruderTests
{
    private const string Path = "main.txt";
    private const string Text = "unchanged";

    private CollabWorkspace _workspace = null!;
    private JsonSocketClient _owner = null!;
    private long _revision;

    [OneTimeSetUp]
    public async Task CreateAsync()
    {
        _workspace = await CollabWorkspace.CreateAsync(Path, Text);
        // The owner is in the document, as an intruder would find them.
        (_owner, var joined) = await _workspace.JoinAsync(Path);
        _revision = joined.GetProperty("revision").GetInt64();
    }

    [OneTimeTearDown]
    public async Task DisposeAsync()
    {
        await _owner.DisposeAsync();
        _workspace.Dispose();
    }

    private string Socket(string query) => $"/ws/collab/{_workspace.Files.Id}?{query}";

    [TestCase(UnverifiableTokens.Expired)]
    [TestCase(UnverifiableTokens.ForeignKey)]
    [TestCase(UnverifiableTokens.Unsigned)]
    [TestCase(UnverifiableTokens.SessionEnded)]
    [TestCase(UnverifiableTokens.Ticket)]
    public async Task ATokenThatCannotBeVerifiedIs401(string kind)
    {
        // Made from the owner's token: accepted, it would let the intruder edit as the owner.
        var token = await UnverifiableTokens.MakeAsync(kind, _workspace.Files.Client, _workspace.Files.AccessToken);

        var refused = await RefusedUpgrade.OfAsync(Socket($"access_token={Uri.EscapeDataString(token)}"));

        Assert.That((refused.Status, refused.SaysInvalidToken), Is.EqualTo((HttpStatusCode.Unauthorized, true)), refused.ToString());
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task NoTokenIs401()
    {
        var refused = await RefusedUpgrade.OfAsync($"/ws/collab/{_workspace.Files.Id}");

        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Unauthorized), refused.ToString());
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task AnUnknownTicketIs401()
    {
        var refused = await RefusedUpgrade.OfAsync(Socket("ticket=not-a-ticket"));

        Assert.That((refused.Status, refused.SaysInvalidToken), Is.EqualTo((HttpStatusCode.Unauthorized, true)), refused.ToString());
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task ASpentTicketIs401()
    {
        var ticket = await UnverifiableTokens.MakeAsync(UnverifiableTokens.Ticket, _workspace.Files.Client, _workspace.Files.AccessToken);
        await using (await JsonSocketClient.ConnectAsync(Socket($"ticket={Uri.EscapeDataString(ticket)}")))
        {
        }

        var refused = await RefusedUpgrade.OfAsync(Socket($"ticket={Uri.EscapeDataString(ticket)}"));

        Assert.That((refused.Status, refused.SaysInvalidToken), Is.EqualTo((HttpStatusCode.Unauthorized, true)), refused.ToString());
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task AServicesTokenIs403()
    {
        var service = await ServiceClients.TokenAsync("execution");

        var refused = await RefusedUpgrade.OfAsync(Socket($"access_token={Uri.EscapeDataString(service)}"));

        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.Forbidden), refused.ToString());
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task ARemovedMembersTokenIs404()
    {
        var editor = await _workspace.Files.AddMemberAsync("editor");
        using (var removed = await _workspace.Files.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete,
            $"/api/workspaces/{_workspace.Files.Id}/members/{CollabWorkspace.UsernameOf(editor)}", _workspace.Files.AccessToken)))
        {
            Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var refused = await RefusedUpgrade.OfAsync(Socket($"access_token={Uri.EscapeDataString(editor)}"));

        Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.NotFound), refused.ToString());
        await AssertNothingChangedAsync();
    }

    [Test]
    public async Task APlainHttpRequestIs400()
    {
        using var response = await _workspace.Files.Client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/ws/collab/{_workspace.Files.Id}", _workspace.Files.AccessToken));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        await AssertNothingChangedAsync();
    }

    /// <summary>A fresh join sees the text and revision as they were, and nobody in the document but the owner.</summary>
    private async Task AssertNothingChangedAsync()
    {
        var (socket, joined) = await _workspace.JoinAsync(Path);
        await using var _s = socket;
        var peers = joined.GetProperty("peers").EnumerateArray().Select(peer => peer.GetProperty("userId").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo(Text));
            Assert.That(joined.GetProperty("revision").GetInt64(), Is.EqualTo(_revision));
            Assert.That(peers, Is.Not.Empty.And.All.EqualTo(_workspace.Files.UserId), "only the owner's connections are in the document");
        });
    }
}
