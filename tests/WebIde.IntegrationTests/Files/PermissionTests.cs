using System.Net;
using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §2–3: viewers read, editors write, anyone else does not learn the workspace exists.</summary>
public sealed class PermissionTests
{
    /// <summary>Every file call once, as <paramref name="token"/> would make it against <paramref name="workspaceId"/>.</summary>
    private static IEnumerable<(string Name, Func<HttpRequestMessage> Request)> EveryCall(FileWorkspace workspace, string workspaceId, string? token)
    {
        HttpRequestMessage Make(HttpMethod method, string relative, HttpContent? content = null)
        {
            var request = new HttpRequestMessage(method, new Uri($"/api/workspaces/{workspaceId}/{relative}", UriKind.Relative)) { Content = content };
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }
            return request;
        }

        yield return ("tree", () => Make(HttpMethod.Get, "tree"));
        yield return ("read", () => Make(HttpMethod.Get, "files/shared.txt"));
        yield return ("read missing", () => Make(HttpMethod.Get, "files/missing.txt"));
        yield return ("write", () => Make(HttpMethod.Put, "files/shared.txt", new ByteArrayContent("overwritten"u8.ToArray())));
        yield return ("create", () => Make(HttpMethod.Put, "files/new.txt", new ByteArrayContent("new"u8.ToArray())));
        yield return ("delete", () => Make(HttpMethod.Delete, "files/shared.txt"));
        yield return ("mkdir", () => Make(HttpMethod.Post, "directories/newdir"));
        yield return ("move", () => Make(HttpMethod.Post, "move", System.Net.Http.Json.JsonContent.Create(new { from = "shared.txt", to = "moved.txt" })));
        yield return ("events", () => Make(HttpMethod.Get, "events"));
    }

    private static async Task<FileWorkspace> WorkspaceWithASharedFileAsync()
    {
        var workspace = await FileWorkspace.CreateAsync("perm");
        using var written = await workspace.PutTextAsync("shared.txt", "original");
        Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return workspace;
    }

    /// <summary>The tree as path → version (or "dir"), to see that nothing changed.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(FileWorkspace workspace) =>
        (await workspace.TreeAsync()).ToDictionary(entry => entry.Key,
            entry => entry.Value.TryGetProperty("version", out var version) ? version.ToString() : "dir");

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task AViewerReadsTreeFilesAndEventsButEveryChangeIs403AndChangesNothing()
    {
        using var workspace = await WorkspaceWithASharedFileAsync();
        var viewer = await workspace.AddMemberAsync("viewer");
        var before = await SnapshotAsync(workspace);

        var tree = await workspace.TreeAsync(viewer);
        using var read = await workspace.GetAsync("shared.txt", viewer);
        await using (var events = await EventStream.SubscribeAsync(workspace, viewer))
        {
        }
        using var write = await workspace.PutTextAsync("shared.txt", "by viewer", token: viewer);
        using var create = await workspace.PutTextAsync("new.txt", "by viewer", token: viewer);
        using var delete = await workspace.DeleteAsync("shared.txt", token: viewer);
        using var mkdir = await workspace.MakeDirectoryAsync("viewer-dir", viewer);
        using var move = await workspace.MoveAsync("shared.txt", "moved.txt", token: viewer);
        var after = await SnapshotAsync(workspace);

        Assert.That(tree.Keys, Is.EquivalentTo(before.Keys));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Encoding.UTF8.GetString(await read.Content.ReadAsByteArrayAsync()), Is.EqualTo("original"));
        foreach (var (name, response) in new[] { ("write", write), ("create", create), ("delete", delete), ("mkdir", mkdir), ("move", move) })
        {
            await Problems.AssertAsync(response, HttpStatusCode.Forbidden, $"viewer {name}");
        }
        Assert.That(after, Is.EquivalentTo(before), "refused changes must change nothing");
        Assert.That(await workspace.ReadBytesAsync("shared.txt"), Is.EqualTo("original"u8.ToArray()));
    }

    [Test]
    public async Task AnEditorWritesCreatesMovesAndDeletes()
    {
        using var workspace = await WorkspaceWithASharedFileAsync();
        var editor = await workspace.AddMemberAsync("editor");

        using var write = await workspace.PutTextAsync("shared.txt", "by editor", token: editor);
        using var create = await workspace.PutTextAsync("editor/new.txt", "new", token: editor);
        using var mkdir = await workspace.MakeDirectoryAsync("editor/dir", editor);
        using var move = await workspace.MoveAsync("editor/new.txt", "editor/dir/new.txt", token: editor);
        using var delete = await workspace.DeleteAsync("README.md", token: editor);
        var tree = await workspace.TreeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(mkdir.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(move.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(tree.Keys, Is.EquivalentTo(new[] { "main.py", "shared.txt", "editor", "editor/dir", "editor/dir/new.txt" }));
        });
        Assert.That(await workspace.ReadBytesAsync("shared.txt"), Is.EqualTo("by editor"u8.ToArray()));
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task ANonMemberGetsTheSame404ForEveryCallAsForAnUnknownOrMalformedWorkspace()
    {
        using var workspace = await WorkspaceWithASharedFileAsync();
        var stranger = await workspace.AddMemberAsync(null);
        var before = await SnapshotAsync(workspace);

        var answers = new List<(string Name, string Existing, string Unknown, string Malformed)>();
        var calls = EveryCall(workspace, workspace.Id, stranger).ToList();
        var unknown = EveryCall(workspace, Guid.NewGuid().ToString(), stranger).ToList();
        var malformed = EveryCall(workspace, "not-a-workspace", stranger).ToList();
        for (var index = 0; index < calls.Count; index++)
        {
            answers.Add((calls[index].Name,
                await AnswerAsync(workspace, calls[index].Request()),
                await AnswerAsync(workspace, unknown[index].Request()),
                await AnswerAsync(workspace, malformed[index].Request())));
        }
        var after = await SnapshotAsync(workspace);

        Assert.Multiple(() =>
        {
            foreach (var (name, existing, unknownAnswer, malformedAnswer) in answers)
            {
                Assert.That(existing, Does.StartWith("404 application/problem+json"), name);
                Assert.That(unknownAnswer, Is.EqualTo(existing), $"{name}: unknown workspace");
                Assert.That(malformedAnswer, Is.EqualTo(existing), $"{name}: malformed id");
            }
            Assert.That(answers.Select(answer => answer.Existing).Distinct().Count(), Is.EqualTo(1), "every call must answer the same");
            Assert.That(after, Is.EquivalentTo(before));
        });
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Http)]
    public async Task EveryCallWithoutATokenIs401()
    {
        using var workspace = await WorkspaceWithASharedFileAsync();
        var before = await SnapshotAsync(workspace);

        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (var (name, request) in EveryCall(workspace, workspace.Id, token: null))
        {
            using var response = await workspace.Client.SendAsync(request(), HttpCompletionOption.ResponseHeadersRead);
            answers[name] = response.StatusCode;
        }
        var after = await SnapshotAsync(workspace);

        Assert.That(answers, Is.EquivalentTo(answers.Keys.ToDictionary(name => name, _ => HttpStatusCode.Unauthorized)));
        Assert.That(after, Is.EquivalentTo(before));
    }

    private static async Task<string> AnswerAsync(FileWorkspace workspace, HttpRequestMessage request)
    {
        using var response = await workspace.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return $"{(int)response.StatusCode} an event stream";
        }
        return await Problems.ComparableAsync(response);
    }
}
