using System.Net;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3: <c>DELETE files/{path}</c> and <c>POST directories/{path}</c>.</summary>
public sealed class DeleteAndDirectoryTests
{
    [Test]
    public async Task DeletingAFileIs204ThenItIsGoneAndDeletingWhatIsNotThereIs404()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        using (await workspace.PutTextAsync("doomed.txt", "x"))
        {
        }

        using var deleted = await workspace.DeleteAsync("doomed.txt");
        using var read = await workspace.GetAsync("doomed.txt");
        using var again = await workspace.DeleteAsync("doomed.txt");
        using var never = await workspace.DeleteAsync("never/was.txt");
        var tree = await workspace.TreeAsync();

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await deleted.Content.ReadAsByteArrayAsync(), Is.Empty);
        await Problems.AssertAsync(read, HttpStatusCode.NotFound, "read after delete");
        await Problems.AssertAsync(again, HttpStatusCode.NotFound, "second delete");
        await Problems.AssertAsync(never, HttpStatusCode.NotFound, "delete of a path that never was");
        Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles));
    }

    [Test]
    public async Task DeletingADirectoryTakesEverythingUnderItAndNothingBeside()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        // Siblings whose names start like the directory's: "lib-x" sorts before "lib/", "libx" after.
        string[] inside = ["lib/a.txt", "lib/sub/b.txt", "lib/sub/deeper/c.txt"];
        string[] beside = ["libx.txt", "lib-other/d.txt", "lib0/e.txt"];
        foreach (var path in inside.Concat(beside))
        {
            using var written = await workspace.PutTextAsync(path, path);
            Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created), path);
        }
        using (var empty = await workspace.MakeDirectoryAsync("lib/empty"))
        {
            Assert.That(empty.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        using var deleted = await workspace.DeleteAsync("lib");
        var tree = await workspace.TreeAsync();
        var reads = new Dictionary<string, HttpStatusCode>();
        foreach (var path in inside.Concat(beside))
        {
            using var read = await workspace.GetAsync(path);
            reads[path] = read.StatusCode;
        }

        Assert.Multiple(() =>
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(beside).Concat(["lib-other", "lib0"])));
            Assert.That(reads, Is.EquivalentTo(inside.Select(path => KeyValuePair.Create(path, HttpStatusCode.NotFound))
                .Concat(beside.Select(path => KeyValuePair.Create(path, HttpStatusCode.OK)))));
        });
    }

    [Test]
    public async Task ADeleteWithAStaleIfMatchIs412AndKeepsTheFile()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        using (await workspace.PutTextAsync("kept.txt", "1"))
        using (await workspace.PutTextAsync("kept.txt", "2"))
        {
        }

        using var stale = await workspace.DeleteAsync("kept.txt", headers => FileWorkspace.IfMatch(headers, 1));
        using var read = await workspace.GetAsync("kept.txt");
        using var current = await workspace.DeleteAsync("kept.txt", headers => FileWorkspace.IfMatch(headers, 2));

        await Problems.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "stale If-Match on delete");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(current.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task MakingADirectoryIs201WithItsParentsAndAgain200()
    {
        using var workspace = await FileWorkspace.CreateAsync();

        using var created = await workspace.MakeDirectoryAsync("assets/img");
        using var again = await workspace.MakeDirectoryAsync("assets/img");
        using var parent = await workspace.MakeDirectoryAsync("assets");
        using var overFile = await workspace.MakeDirectoryAsync("README.md");
        using var belowFile = await workspace.MakeDirectoryAsync("README.md/sub");
        var tree = await workspace.TreeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(parent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(["assets", "assets/img"])));
            Assert.That(tree["assets/img"].GetProperty("type").GetString(), Is.EqualTo("directory"));
            Assert.That(tree["README.md"].GetProperty("type").GetString(), Is.EqualTo("file"));
        });
        await Problems.AssertAsync(overFile, HttpStatusCode.Conflict, "a directory where a file is");
        await Problems.AssertAsync(belowFile, HttpStatusCode.Conflict, "a directory below a file");
    }
}
