using System.Net;
using System.Net.Http.Headers;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>An open change stream does not outlive the right to read it.</summary>
public sealed class EventStreamLifetimeTests
{
    private static async Task<(HttpResponseMessage Response, StreamReader Lines)> OpenAsync(FileWorkspace workspace, string token)
    {
        var request = workspace.Request(HttpMethod.Get, "events", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await workspace.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads until the server ends the stream; fails when the deadline passes first.</summary>
    private static async Task ReadToEndAsync(StreamReader lines, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (await lines.ReadLineAsync(timeout.Token) is not null)
        {
        }
    }

    [Test]
    public async Task LoggingOutEndsTheSessionsOpenStream()
    {
        using var workspace = await FileWorkspace.CreateAsync("stream-logout");
        var (response, lines) = await OpenAsync(workspace, workspace.AccessToken);
        using var _ = response;

        using var logout = await workspace.Client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", workspace.AccessToken));
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.DoesNotThrowAsync(() => ReadToEndAsync(lines, TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task ARemovedMembersStreamEnds()
    {
        using var workspace = await FileWorkspace.CreateAsync("stream-removed");
        var (username, viewerToken) = await AddViewerAsync(workspace);
        var (response, lines) = await OpenAsync(workspace, viewerToken);
        using var _ = response;

        using var removed = await workspace.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace.Id}/members/{username}", workspace.AccessToken));
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // Membership is checked at each heartbeat (2 s on the test platform).
        Assert.DoesNotThrowAsync(() => ReadToEndAsync(lines, TimeSpan.FromSeconds(10)));
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
