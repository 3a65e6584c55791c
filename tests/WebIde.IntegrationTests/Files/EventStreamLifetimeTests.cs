using System.Net;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>An open change stream does not outlive the right to read it.</summary>
public sealed class EventStreamLifetimeTests
{
    /// <summary>Reads until the server ends the stream; fails when the deadline passes first.</summary>
    private static async Task AssertEndsWithinAsync(EventStream stream, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if ((await stream.ReadAsync(until - DateTime.UtcNow)).Ended)
            {
                return;
            }
        }
        Assert.Fail($"the stream was still open after {deadline.TotalSeconds} s");
    }

    [Test]
    public async Task LoggingOutEndsTheSessionsOpenStream()
    {
        using var workspace = await FileWorkspace.CreateAsync("stream-logout");
        await using var stream = await EventStream.SubscribeAsync(workspace);

        using var logout = await workspace.Client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", workspace.AccessToken));
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertEndsWithinAsync(stream, TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task ARemovedMembersStreamEnds()
    {
        using var workspace = await FileWorkspace.CreateAsync("stream-removed");
        var (username, viewerToken) = await AddViewerAsync(workspace);
        await using var stream = await EventStream.SubscribeAsync(workspace, viewerToken);

        using var removed = await workspace.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace.Id}/members/{username}", workspace.AccessToken));
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // Membership is checked at each heartbeat (2 s on the test platform).
        await AssertEndsWithinAsync(stream, TimeSpan.FromSeconds(10));
    }

    private static async Task<(string Username, string Token)> AddViewerAsync(FileWorkspace workspace)
    {
        var (username, tokens) = await Accounts.SignedInUserAsync(workspace.Client, "viewer");
        using var added = await workspace.Client.SendAsync(FileWorkspace.WithJson(
            Accounts.Authorized(HttpMethod.Put, $"/api/workspaces/{workspace.Id}/members/{username}", workspace.AccessToken), new { role = "viewer" }));
        added.EnsureSuccessStatusCode();
        return (username, tokens.Access());
    }
}
