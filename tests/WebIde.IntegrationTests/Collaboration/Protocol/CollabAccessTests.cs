using System.Net.Http.Json;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>Open sessions end when access ends: within 1 s of a logout or a removal from the workspace.</summary>
public sealed class CollabAccessTests
{
    private const string Path = "shared.txt";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [Test]
    public async Task LoggingOutClosesTheSessionsSocketsWithinASecond()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "x");
        var (socket, _) = await workspace.JoinAsync(Path);
        await using var _s = socket;

        using var logout = await workspace.Files.Client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", workspace.Files.AccessToken));
        logout.EnsureSuccessStatusCode();
        var (status, reason) = await socket.WaitForCloseAsync(Within);

        Assert.Multiple(() =>
        {
            Assert.That((int?)status, Is.EqualTo(4001));
            Assert.That(reason, Does.Contain("session"));
        });
    }

    [Test]
    public async Task RemovingAMemberClosesTheirSocketsWithinASecond()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "x");
        var editor = await workspace.Files.AddMemberAsync("editor");
        var (socket, _) = await workspace.JoinAsync(Path, editor);
        await using var _s = socket;

        var username = CollabWorkspace.UsernameOf(editor);
        using var removed = await workspace.Files.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{workspace.Files.Id}/members/{username}", workspace.Files.AccessToken));
        removed.EnsureSuccessStatusCode();
        var (status, _) = await socket.WaitForCloseAsync(Within);

        Assert.That((int?)status, Is.EqualTo(4003));
    }
}
