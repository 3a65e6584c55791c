using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.IntegrationTests.Identity;

/// <summary>docs/api.md §2 through the gateway: what owner, editor, viewer and non-member each get.</summary>
public sealed class WorkspaceTests
{
    private sealed record Member(string Username, string AccessToken);

    private static async Task<(HttpClient Client, string WorkspaceId, Member Owner, Member Editor, Member Viewer, Member Stranger)> WorkspaceWithEveryRoleAsync()
    {
        var client = Platform.CreateGatewayClient();
        async Task<Member> NewMember(string prefix)
        {
            var (username, tokens) = await Accounts.SignedInUserAsync(client, prefix);
            return new Member(username, tokens.Access());
        }

        var owner = await NewMember("owner");
        var editor = await NewMember("editor");
        var viewer = await NewMember("viewer");
        var stranger = await NewMember("stranger");
        using var created = await SendAsync(client, owner, HttpMethod.Post, "/api/workspaces", new { name = "Project X" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (var (member, role) in new[] { (editor, "editor"), (viewer, "viewer") })
        {
            using var added = await SendAsync(client, owner, HttpMethod.Put, $"/api/workspaces/{id}/members/{member.Username}", new { role });
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), role);
        }
        return (client, id, owner, editor, viewer, stranger);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Member caller, HttpMethod method, string path, object? body = null)
    {
        var request = Accounts.Authorized(method, path, caller.AccessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return client.SendAsync(request);
    }

    [Test]
    public async Task CreatingAWorkspaceMakesTheCallerItsOwnerAndOnlyMembersSeeIt()
    {
        var (client, id, owner, editor, viewer, stranger) = await WorkspaceWithEveryRoleAsync();
        using var _ = client;

        var roles = new Dictionary<Member, string?> { [owner] = "owner", [editor] = "editor", [viewer] = "viewer", [stranger] = null };
        foreach (var (member, role) in roles)
        {
            var list = await (await SendAsync(client, member, HttpMethod.Get, "/api/workspaces")).Content.ReadFromJsonAsync<JsonElement>();
            var entry = list.EnumerateArray().SingleOrDefault(workspace => workspace.GetProperty("id").GetString() == id);
            Assert.That(entry.ValueKind == JsonValueKind.Undefined ? null : entry.GetProperty("role").GetString(), Is.EqualTo(role), member.Username);
        }
    }

    [Test]
    public async Task MembersSeeTheWorkspaceWithItsMembersAndAStrangerGets404LikeForNoWorkspace()
    {
        var (client, id, owner, editor, viewer, stranger) = await WorkspaceWithEveryRoleAsync();
        using var _ = client;

        using var asViewer = await SendAsync(client, viewer, HttpMethod.Get, $"/api/workspaces/{id}");
        var details = await asViewer.Content.ReadFromJsonAsync<JsonElement>();
        using var asStranger = await SendAsync(client, stranger, HttpMethod.Get, $"/api/workspaces/{id}");
        using var missing = await SendAsync(client, stranger, HttpMethod.Get, $"/api/workspaces/{Guid.NewGuid()}");
        var members = details.GetProperty("members").EnumerateArray()
            .ToDictionary(member => member.GetProperty("username").GetString()!, member => member.GetProperty("role").GetString());

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(asViewer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(details.GetProperty("role").GetString(), Is.EqualTo("viewer"));
            Assert.That(details.GetProperty("name").GetString(), Is.EqualTo("Project X"));
            Assert.That(members, Is.EquivalentTo(new Dictionary<string, string?> { [owner.Username] = "owner", [editor.Username] = "editor", [viewer.Username] = "viewer" }));
            Assert.That(asStranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            var strangerProblem = await asStranger.Content.ReadFromJsonAsync<JsonElement>();
            var missingProblem = await missing.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(strangerProblem.GetProperty("detail").ToString(), Is.EqualTo(missingProblem.GetProperty("detail").ToString()), "a stranger must not learn that the workspace exists");
        });
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task OnlyTheOwnerManagesMembers()
    {
        var (client, id, owner, editor, viewer, stranger) = await WorkspaceWithEveryRoleAsync();
        using var _ = client;

        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var (caller, name) in new[] { (editor, "editor"), (viewer, "viewer"), (stranger, "stranger") })
        {
            using var put = await SendAsync(client, caller, HttpMethod.Put, $"/api/workspaces/{id}/members/{stranger.Username}", new { role = "viewer" });
            using var remove = await SendAsync(client, caller, HttpMethod.Delete, $"/api/workspaces/{id}/members/{viewer.Username}");
            using var delete = await SendAsync(client, caller, HttpMethod.Delete, $"/api/workspaces/{id}");
            answers[$"{name} PUT member"] = put.StatusCode;
            answers[$"{name} DELETE member"] = remove.StatusCode;
            answers[$"{name} DELETE workspace"] = delete.StatusCode;
        }

        Assert.That(answers, Is.EquivalentTo(new Dictionary<string, HttpStatusCode>
        {
            ["editor PUT member"] = HttpStatusCode.Forbidden,
            ["editor DELETE member"] = HttpStatusCode.Forbidden,
            ["editor DELETE workspace"] = HttpStatusCode.Forbidden,
            ["viewer PUT member"] = HttpStatusCode.Forbidden,
            ["viewer DELETE member"] = HttpStatusCode.Forbidden,
            ["viewer DELETE workspace"] = HttpStatusCode.Forbidden,
            ["stranger PUT member"] = HttpStatusCode.NotFound,
            ["stranger DELETE member"] = HttpStatusCode.NotFound,
            ["stranger DELETE workspace"] = HttpStatusCode.NotFound,
        }));
        using var stillThere = await SendAsync(client, viewer, HttpMethod.Get, $"/api/workspaces/{id}");
        Assert.That(stillThere.StatusCode, Is.EqualTo(HttpStatusCode.OK), "refused calls must change nothing");
    }

    [Test]
    public async Task TheOwnerChangesAndRemovesMembersButNeverTheLastOwner()
    {
        var (client, id, owner, editor, viewer, _) = await WorkspaceWithEveryRoleAsync();
        using var __ = client;

        using var promote = await SendAsync(client, owner, HttpMethod.Put, $"/api/workspaces/{id}/members/{viewer.Username.ToUpperInvariant()}", new { role = "editor" });
        using var demoteSelf = await SendAsync(client, owner, HttpMethod.Put, $"/api/workspaces/{id}/members/{owner.Username}", new { role = "editor" });
        using var removeSelf = await SendAsync(client, owner, HttpMethod.Delete, $"/api/workspaces/{id}/members/{owner.Username}");
        using var badRole = await SendAsync(client, owner, HttpMethod.Put, $"/api/workspaces/{id}/members/{editor.Username}", new { role = "admin" });
        using var nobody = await SendAsync(client, owner, HttpMethod.Put, $"/api/workspaces/{id}/members/{Accounts.NewUsername("nobody")}", new { role = "viewer" });
        using var remove = await SendAsync(client, owner, HttpMethod.Delete, $"/api/workspaces/{id}/members/{editor.Username}");
        using var removedLooks = await SendAsync(client, editor, HttpMethod.Get, $"/api/workspaces/{id}");
        using var promotedLooks = await SendAsync(client, viewer, HttpMethod.Get, $"/api/workspaces/{id}");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(promote.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await promotedLooks.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString(), Is.EqualTo("editor"));
            Assert.That(demoteSelf.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(removeSelf.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(badRole.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(nobody.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(remove.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(removedLooks.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task DeletingTheWorkspaceEndsItForEveryone()
    {
        var (client, id, owner, editor, _, _) = await WorkspaceWithEveryRoleAsync();
        using var __ = client;

        using var deleted = await SendAsync(client, owner, HttpMethod.Delete, $"/api/workspaces/{id}");
        using var ownerLooks = await SendAsync(client, owner, HttpMethod.Get, $"/api/workspaces/{id}");
        using var editorLooks = await SendAsync(client, editor, HttpMethod.Get, $"/api/workspaces/{id}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(ownerLooks.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(editorLooks.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task WorkspaceCallsWithoutATokenAre401()
    {
        using var client = Platform.CreateGatewayClient();

        using var list = await client.GetAsync("/api/workspaces");
        using var create = await client.PostAsJsonAsync("/api/workspaces", new { name = "x" });

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
