using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3: <c>PUT files/{path}</c>, its answers and its preconditions.</summary>
public sealed class WriteTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(FileWorkspace workspace, string path, string text, Action<HttpRequestHeaders>? headers = null)
    {
        using var response = await workspace.PutTextAsync(path, text, headers);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    private static string Written(JsonElement body) =>
        string.Join(", ", body.EnumerateObject().OrderBy(property => property.Name, StringComparer.Ordinal).Select(property => $"{property.Name}={property.Value}"));

    private static async Task<(string Text, string? ETag)> ReadAsync(FileWorkspace workspace, string path)
    {
        using var response = await workspace.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return (Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()), response.Headers.ETag?.Tag);
    }

    [Test]
    public async Task ANewFileIs201AndAnUpdate200EachWithPathVersionAndSize()
    {
        using var workspace = await FileWorkspace.CreateAsync();

        var created = await PutAsync(workspace, "a.txt", "hello");
        var updated = await PutAsync(workspace, "a.txt", "hello, world");
        var emptied = await PutAsync(workspace, "a.txt", "");
        var (text, tag) = await ReadAsync(workspace, "a.txt");

        Assert.Multiple(() =>
        {
            Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(Written(created.Body), Is.EqualTo("path=a.txt, size=5, version=1"));
            Assert.That(updated.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Written(updated.Body), Is.EqualTo("path=a.txt, size=12, version=2"));
            Assert.That(emptied.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Written(emptied.Body), Is.EqualTo("path=a.txt, size=0, version=3"));
            Assert.That(text, Is.Empty);
            Assert.That(tag, Is.EqualTo("\"3\""));
        });
    }

    [Test]
    public async Task IfMatchWritesOnlyOverThatVersionAndAMismatchIs412AndChangesNothing()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        await PutAsync(workspace, "a.txt", "first");

        var matching = await PutAsync(workspace, "a.txt", "second", headers => FileWorkspace.IfMatch(headers, 1));
        using var stale = await workspace.PutTextAsync("a.txt", "stale", headers => FileWorkspace.IfMatch(headers, 1));
        using var future = await workspace.PutTextAsync("a.txt", "future", headers => FileWorkspace.IfMatch(headers, 3));
        using var onMissing = await workspace.PutTextAsync("missing.txt", "x", headers => FileWorkspace.IfMatch(headers, 1));
        using var anyOnMissing = await workspace.PutTextAsync("missing.txt", "x", headers => headers.IfMatch.Add(EntityTagHeaderValue.Any));
        var (text, tag) = await ReadAsync(workspace, "a.txt");
        var tree = await workspace.TreeAsync();

        await Problems.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "stale If-Match");
        await Problems.AssertAsync(future, HttpStatusCode.PreconditionFailed, "If-Match of a version not reached yet");
        await Problems.AssertAsync(onMissing, HttpStatusCode.PreconditionFailed, "If-Match on a file that does not exist");
        await Problems.AssertAsync(anyOnMissing, HttpStatusCode.PreconditionFailed, "If-Match: * on a file that does not exist");
        Assert.Multiple(() =>
        {
            Assert.That(matching.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Written(matching.Body), Is.EqualTo("path=a.txt, size=6, version=2"));
            Assert.That(text, Is.EqualTo("second"), "a refused write must leave the content");
            Assert.That(tag, Is.EqualTo("\"2\""), "a refused write must leave the version");
            Assert.That(tree.ContainsKey("missing.txt"), Is.False);
        });
    }

    [Test]
    public async Task IfNoneMatchStarCreatesOnlyAndIs412WhenTheFileExists()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        static void CreateOnly(HttpRequestHeaders headers) => headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);

        var created = await PutAsync(workspace, "new.txt", "mine", CreateOnly);
        using var again = await workspace.PutTextAsync("new.txt", "theirs", CreateOnly);
        var (text, tag) = await ReadAsync(workspace, "new.txt");

        await Problems.AssertAsync(again, HttpStatusCode.PreconditionFailed, "create-only over an existing file");
        Assert.Multiple(() =>
        {
            Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(Written(created.Body), Is.EqualTo("path=new.txt, size=4, version=1"));
            Assert.That(text, Is.EqualTo("mine"));
            Assert.That(tag, Is.EqualTo("\"1\""));
        });
    }

    [Test]
    public async Task MissingParentsAreCreatedAsDirectoriesButAFileAsAParentIs409()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        var deep = await PutAsync(workspace, "deep/er/still/x.txt", "x");
        await PutAsync(workspace, "f.txt", "a file");
        var before = await workspace.TreeAsync();

        using var belowFile = await workspace.PutTextAsync("f.txt/child", "x");
        using var belowFileDeeper = await workspace.PutTextAsync("f.txt/a/b/child", "x");
        using var overDirectory = await workspace.PutTextAsync("deep/er", "x");
        var after = await workspace.TreeAsync();

        await Problems.AssertAsync(belowFile, HttpStatusCode.Conflict, "a file as the parent");
        await Problems.AssertAsync(belowFileDeeper, HttpStatusCode.Conflict, "a file as an ancestor");
        await Problems.AssertAsync(overDirectory, HttpStatusCode.Conflict, "a file over a directory");
        Assert.Multiple(() =>
        {
            Assert.That(deep.Status, Is.EqualTo(HttpStatusCode.Created));
            foreach (var directory in new[] { "deep", "deep/er", "deep/er/still" })
            {
                Assert.That(before.TryGetValue(directory, out var entry) ? entry.GetProperty("type").GetString() : null, Is.EqualTo("directory"), directory);
            }
            Assert.That(after.Keys, Is.EquivalentTo(before.Keys), "refused writes must create nothing");
            Assert.That(after["f.txt"].GetProperty("version").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task VersionsGrowByOnePerChangeAndNeverRepeatAfterDeleteAndRecreate()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        var versions = new List<long>();
        foreach (var text in new[] { "1", "2", "3" })
        {
            versions.Add((await PutAsync(workspace, "v.txt", text)).Body.GetProperty("version").GetInt64());
        }
        using (var deleted = await workspace.DeleteAsync("v.txt"))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var recreated = await PutAsync(workspace, "v.txt", "again");
        using var staleTag = await workspace.PutTextAsync("v.txt", "stale", headers => FileWorkspace.IfMatch(headers, 1));

        // A delete of the whole folder must not reset the versions of what was in it either.
        await PutAsync(workspace, "dir/w.txt", "1");
        await PutAsync(workspace, "dir/w.txt", "2");
        using (await workspace.DeleteAsync("dir"))
        {
        }
        var inRecreatedFolder = await PutAsync(workspace, "dir/w.txt", "3");

        await Problems.AssertAsync(staleTag, HttpStatusCode.PreconditionFailed, "a version of the deleted file");
        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(recreated.Status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(recreated.Body.GetProperty("version").GetInt64(), Is.EqualTo(4));
            Assert.That(inRecreatedFolder.Status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(inRecreatedFolder.Body.GetProperty("version").GetInt64(), Is.EqualTo(3));
        });
    }
}
