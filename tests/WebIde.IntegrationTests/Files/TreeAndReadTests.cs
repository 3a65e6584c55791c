using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3: <c>GET tree</c> and <c>GET files/{path}</c>.</summary>
public sealed class TreeAndReadTests
{
    [Test]
    public async Task TheTreeListsFilesWithSizeVersionAndTimeAndDirectoriesWithoutThem()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        using (var created = await workspace.PutTextAsync("src/app/main.py", "print(1)\n"))
        using (var updated = await workspace.PutTextAsync("src/app/main.py", "print(22)\n"))
        using (var directory = await workspace.MakeDirectoryAsync("empty"))
        {
            Assert.That(new[] { created.StatusCode, updated.StatusCode, directory.StatusCode },
                Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created }));
        }

        using var response = await workspace.Client.SendAsync(workspace.Request(HttpMethod.Get, "tree"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var entries = body.GetProperty("entries").EnumerateArray().ToDictionary(entry => entry.GetProperty("path").GetString()!);
        var file = entries["src/app/main.py"];

        await Assert.MultipleAsync(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(entries.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(["src", "src/app", "src/app/main.py", "empty"])));
            Assert.That(file.GetProperty("type").GetString(), Is.EqualTo("file"));
            Assert.That(file.GetProperty("size").GetInt64(), Is.EqualTo(10));
            Assert.That(file.GetProperty("version").GetInt64(), Is.EqualTo(2));
            var modifiedAt = DateTimeOffset.Parse(file.GetProperty("modifiedAt").GetString()!, CultureInfo.InvariantCulture);
            Assert.That(modifiedAt.Offset, Is.EqualTo(TimeSpan.Zero), "times are UTC");
            Assert.That(modifiedAt, Is.InRange(before, DateTimeOffset.UtcNow.AddSeconds(2)));
            foreach (var starter in FileWorkspace.StarterFiles)
            {
                Assert.That(entries[starter].GetProperty("type").GetString(), Is.EqualTo("file"), starter);
                Assert.That(entries[starter].GetProperty("version").GetInt64(), Is.GreaterThanOrEqualTo(1), starter);
            }
            foreach (var directory in new[] { "src", "src/app", "empty" })
            {
                var entry = entries[directory];
                Assert.That(entry.GetProperty("type").GetString(), Is.EqualTo("directory"), directory);
                Assert.That(entry.EnumerateObject().Select(property => property.Name), Is.EquivalentTo(new[] { "path", "type" }),
                    $"{directory}: a directory has no size, version or modifiedAt");
            }
            return Task.CompletedTask;
        });
    }

    [Test]
    public async Task ReadingAnswersTheBytesWithTheVersionAsETagAnd304WhenTheClientHasIt()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        using (await workspace.PutTextAsync("notes.txt", "one"))
        using (await workspace.PutTextAsync("notes.txt", "two"))
        {
        }

        using var read = await workspace.GetAsync("notes.txt");
        using var current = await workspace.GetAsync("notes.txt", headers: headers => headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"2\"")));
        using var stale = await workspace.GetAsync("notes.txt", headers: headers => headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"1\"")));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Encoding.UTF8.GetString(await read.Content.ReadAsByteArrayAsync()), Is.EqualTo("two"));
            Assert.That(read.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
            Assert.That(read.Headers.ETag?.IsWeak, Is.False);
            Assert.That(current.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(await current.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Encoding.UTF8.GetString(await stale.Content.ReadAsByteArrayAsync()), Is.EqualTo("two"));
            Assert.That(stale.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        });
    }

    [Test]
    public async Task ReadingAFileThatIsNotThereIs404()
    {
        using var workspace = await FileWorkspace.CreateAsync();

        using var missing = await workspace.GetAsync("nope.txt");
        using var missingFolder = await workspace.GetAsync("no/such/file.txt");
        using (await workspace.PutTextAsync("gone.txt", "x"))
        using (await workspace.DeleteAsync("gone.txt"))
        {
        }
        using var deleted = await workspace.GetAsync("gone.txt");

        await Problems.AssertAsync(missing, HttpStatusCode.NotFound, "missing");
        await Problems.AssertAsync(missingFolder, HttpStatusCode.NotFound, "missing folder");
        await Problems.AssertAsync(deleted, HttpStatusCode.NotFound, "deleted");
    }
}
