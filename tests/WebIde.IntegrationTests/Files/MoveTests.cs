using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3: <c>POST move</c> of files and whole directories.</summary>
public sealed class MoveTests
{
    private static async Task WriteAsync(FileWorkspace workspace, string path, string text)
    {
        using var written = await workspace.PutTextAsync(path, text);
        Assert.That(written.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), path);
    }

    private static async Task<string?> TextAsync(FileWorkspace workspace, string path)
    {
        using var read = await workspace.GetAsync(path);
        return read.StatusCode == HttpStatusCode.OK ? Encoding.UTF8.GetString(await read.Content.ReadAsByteArrayAsync()) : null;
    }

    [Test]
    public async Task MovingAFileIs200AndItsBytesAreAtTheNewPathOnly()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        await WriteAsync(workspace, "src/a.txt", "one");
        await WriteAsync(workspace, "src/a.txt", "two");

        using var moved = await workspace.MoveAsync("src/a.txt", "dst/sub/b.txt");
        var body = await moved.Content.ReadFromJsonAsync<JsonElement>();
        using var atNew = await workspace.GetAsync("dst/sub/b.txt");
        var tree = await workspace.TreeAsync();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("from").GetString(), Is.EqualTo("src/a.txt"));
            Assert.That(body.GetProperty("to").GetString(), Is.EqualTo("dst/sub/b.txt"));
            Assert.That(Encoding.UTF8.GetString(await atNew.Content.ReadAsByteArrayAsync()), Is.EqualTo("two"));
            Assert.That(await TextAsync(workspace, "src/a.txt"), Is.Null);
            Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(["src", "dst", "dst/sub", "dst/sub/b.txt"])));
            // Whatever version the moved file has, a tag from before the move must never match it.
            var version = tree["dst/sub/b.txt"].GetProperty("version").GetInt64();
            Assert.That(version, Is.GreaterThan(2));
            Assert.That(atNew.Headers.ETag?.Tag, Is.EqualTo($"\"{version}\""));
            Assert.That(body.GetProperty("version").GetInt64(), Is.EqualTo(version));
        });
    }

    [Test]
    public async Task RenamingADirectoryMovesEverythingUnderIt()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        await WriteAsync(workspace, "pkg/a.txt", "a");
        await WriteAsync(workspace, "pkg/sub/b.txt", "b");
        using (await workspace.MakeDirectoryAsync("pkg/empty"))
        {
        }
        await WriteAsync(workspace, "pkg-sibling.txt", "s");

        using var moved = await workspace.MoveAsync("pkg", "lib/pkg2");
        var tree = await workspace.TreeAsync();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(
                ["lib", "lib/pkg2", "lib/pkg2/a.txt", "lib/pkg2/sub", "lib/pkg2/sub/b.txt", "lib/pkg2/empty", "pkg-sibling.txt"])));
            Assert.That(await TextAsync(workspace, "lib/pkg2/a.txt"), Is.EqualTo("a"));
            Assert.That(await TextAsync(workspace, "lib/pkg2/sub/b.txt"), Is.EqualTo("b"));
            Assert.That(await TextAsync(workspace, "pkg/a.txt"), Is.Null);
            Assert.That(await TextAsync(workspace, "pkg-sibling.txt"), Is.EqualTo("s"));
        });
    }

    [Test]
    public async Task MovingOntoAnExistingPathIs409UnlessOverwriteWhichReplacesIt()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        await WriteAsync(workspace, "a.txt", "A");
        await WriteAsync(workspace, "b.txt", "B");
        await WriteAsync(workspace, "x/1.txt", "x1");
        await WriteAsync(workspace, "y/2.txt", "y2");

        using var fileRefused = await workspace.MoveAsync("a.txt", "b.txt");
        using var fileRefusedExplicitly = await workspace.MoveAsync("a.txt", "b.txt", overwrite: false);
        using var directoryRefused = await workspace.MoveAsync("x", "y");
        var afterRefusals = await workspace.TreeAsync();
        var bAfterRefusal = await TextAsync(workspace, "b.txt");

        using var fileReplaced = await workspace.MoveAsync("a.txt", "b.txt", overwrite: true);
        using var directoryReplaced = await workspace.MoveAsync("x", "y", overwrite: true);
        var tree = await workspace.TreeAsync();

        await Problems.AssertAsync(fileRefused, HttpStatusCode.Conflict, "file onto file");
        await Problems.AssertAsync(fileRefusedExplicitly, HttpStatusCode.Conflict, "file onto file, overwrite false");
        await Problems.AssertAsync(directoryRefused, HttpStatusCode.Conflict, "directory onto directory");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(afterRefusals.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(["a.txt", "b.txt", "x", "x/1.txt", "y", "y/2.txt"])));
            Assert.That(bAfterRefusal, Is.EqualTo("B"));
            Assert.That(fileReplaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(directoryReplaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(tree.Keys, Is.EquivalentTo(FileWorkspace.StarterFiles.Concat(["b.txt", "y", "y/1.txt"])));
            Assert.That(await TextAsync(workspace, "b.txt"), Is.EqualTo("A"));
            Assert.That(await TextAsync(workspace, "y/1.txt"), Is.EqualTo("x1"));
            Assert.That(await TextAsync(workspace, "y/2.txt"), Is.Null, "the replaced directory's content goes with it");
        });
    }

    [Test]
    public async Task MovingADirectoryIntoItselfIs400AndMovingNothingIs404()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        using (await workspace.MakeDirectoryAsync("d/e"))
        {
        }
        var before = await workspace.TreeAsync();

        using var intoChild = await workspace.MoveAsync("d", "d/e/f");
        using var intoDirectChild = await workspace.MoveAsync("d", "d/f");
        using var ontoItself = await workspace.MoveAsync("d", "d", overwrite: true);
        using var missing = await workspace.MoveAsync("nothing", "something");
        var after = await workspace.TreeAsync();

        await Problems.AssertAsync(intoChild, HttpStatusCode.BadRequest, "into a grandchild");
        await Problems.AssertAsync(intoDirectChild, HttpStatusCode.BadRequest, "into a child");
        await Problems.AssertAsync(ontoItself, HttpStatusCode.BadRequest, "onto itself");
        await Problems.AssertAsync(missing, HttpStatusCode.NotFound, "a source that does not exist");
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
    }

    [Test]
    public async Task MovingADirectoryOfAHundredFilesKeepsEveryByteAtTheNewPaths()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        var random = new Random(20240611);
        var files = Enumerable.Range(0, 100).ToDictionary(
            index => $"{(index % 3 == 0 ? "" : $"part{index % 3}/")}file-{index:D3}.bin",
            index =>
            {
                var bytes = new byte[random.Next(0, 4096)];
                random.NextBytes(bytes);
                return bytes;
            });
        var writes = new System.Collections.Concurrent.ConcurrentDictionary<string, HttpStatusCode>();
        await ForEachAsync(files, async file =>
        {
            using var written = await workspace.PutAsync($"big/{file.Key}", file.Value);
            writes[file.Key] = written.StatusCode;
        });
        Assert.That(writes.Values.Distinct(), Is.EqualTo(new[] { HttpStatusCode.Created }));

        using var moved = await workspace.MoveAsync("big", "archive/big");
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());

        var tree = await workspace.TreeAsync();
        var atNew = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]?>();
        var atOld = new System.Collections.Concurrent.ConcurrentDictionary<string, HttpStatusCode>();
        await ForEachAsync(files, async file =>
        {
            using var read = await workspace.GetAsync($"archive/big/{file.Key}");
            atNew[file.Key] = read.StatusCode == HttpStatusCode.OK ? await read.Content.ReadAsByteArrayAsync() : null;
            using var old = await workspace.GetAsync($"big/{file.Key}");
            atOld[file.Key] = old.StatusCode;
        });

        var expectedTree = FileWorkspace.StarterFiles
            .Concat(["archive", "archive/big", "archive/big/part1", "archive/big/part2"])
            .Concat(files.Keys.Select(path => $"archive/big/{path}"));
        Assert.Multiple(() =>
        {
            Assert.That(tree.Keys, Is.EquivalentTo(expectedTree));
            foreach (var (path, bytes) in files)
            {
                Assert.That(atNew[path], Is.EqualTo(bytes), $"archive/big/{path}");
                Assert.That(atOld[path], Is.EqualTo(HttpStatusCode.NotFound), $"big/{path}");
                Assert.That(tree[$"archive/big/{path}"].GetProperty("size").GetInt64(), Is.EqualTo(bytes.Length), $"size of {path}");
            }
        });
    }

    /// <summary>A few requests at a time: faster than one by one, gentler than all at once.</summary>
    private static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> action) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (item, _) => await action(item));
}
