using System.Net;
using System.Text;
using System.Text.Json;
using WebIde.IntegrationTests.Files;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>A collaboratively edited file stays one file: what editors type reaches it, and what others write reaches them.</summary>
public sealed class CollabFileTests
{
    private const string Path = "src/app.js";

    /// <summary>The bound (docs/api.md §3) on how far the file may lag the editors, plus the time to read it.</summary>
    private static readonly TimeSpan SnapshotDeadline = TimeSpan.FromSeconds(2.5);

    [Test]
    public async Task WhatEditorsTypeIsWhatAGetReturnsWithinTwoSeconds()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "let a = 1;\n");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using var _a = alice;

        await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "a-1", op = new object[] { 11, "let b = 2;\n" } });
        await CollabWorkspace.NextAsync(alice, "ack");
        var acked = DateTime.UtcNow;
        var text = await WaitForFileAsync(workspace.Files, Path, "let a = 1;\nlet b = 2;\n", SnapshotDeadline);

        Assert.That(text, Is.EqualTo("let a = 1;\nlet b = 2;\n"), $"after {(DateTime.UtcNow - acked).TotalMilliseconds:F0} ms");
    }

    [Test]
    public async Task APutWhileEditorsTypeReachesThemAsAnEditAndBothChangesSurvive()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "line one\nline two\n");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using var _a = alice;
        await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "a-1", op = new object[] { "// top\n", 18 } });
        await CollabWorkspace.NextAsync(alice, "ack");
        var written = await WaitForFileAsync(workspace.Files, Path, "// top\nline one\nline two\n", SnapshotDeadline);
        Assert.That(written, Is.EqualTo("// top\nline one\nline two\n"));

        using var put = await workspace.Files.PutTextAsync(Path, "// top\nline one\nline 2\n");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var edit = await CollabWorkspace.NextAsync(alice, "op");
        var (content, _) = await workspace.ServerTextAsync(Path);

        Assert.Multiple(() =>
        {
            Assert.That(edit.GetProperty("clientId").GetString(), Is.EqualTo("file"));
            // The edit is the difference, not the whole text again.
            Assert.That(edit.GetProperty("op").GetRawText(), Does.Not.Contain("line one"));
            Assert.That(content, Is.EqualTo("// top\nline one\nline 2\n"));
        });
    }

    [Test]
    public async Task DeletingTheFileClosesItForItsEditors()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "soon gone");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using var _a = alice;

        using var deleted = await workspace.Files.DeleteAsync("src");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var closed = await CollabWorkspace.NextAsync(alice, "closed");
        await alice.SendAsync(new { type = "op", path = Path, revision = 0, id = "late", op = new object[] { 9, "!" } });
        var refused = await CollabWorkspace.NextAsync(alice, "error");

        Assert.Multiple(() =>
        {
            Assert.That(closed.GetProperty("path").GetString(), Is.EqualTo(Path));
            Assert.That(closed.GetProperty("reason").GetString(), Is.EqualTo("deleted"));
            Assert.That(refused.GetProperty("code").GetString(), Is.EqualTo("not_found"));
        });
    }

    [Test]
    public async Task MovingTheFileTellsItsEditorsWhereItWent()
    {
        using var workspace = await CollabWorkspace.CreateAsync(Path, "moving");
        var (alice, _) = await workspace.JoinAsync(Path);
        await using var _a = alice;

        using var moved = await workspace.Files.MoveAsync(Path, "lib/app.js");
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var closed = await CollabWorkspace.NextAsync(alice, "closed");
        await alice.SendAsync(new { type = "join", path = "lib/app.js" });
        var joined = await CollabWorkspace.NextAsync(alice, "joined");

        Assert.Multiple(() =>
        {
            Assert.That(closed.GetProperty("reason").GetString(), Is.EqualTo("moved"));
            Assert.That(closed.GetProperty("to").GetString(), Is.EqualTo("lib/app.js"));
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("moving"));
        });
    }

    /// <summary>Reads the file until it holds <paramref name="expected"/> or the deadline passes; what it held last.</summary>
    private static async Task<string> WaitForFileAsync(FileWorkspace files, string path, string expected, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var text = Encoding.UTF8.GetString(await files.ReadBytesAsync(path));
            if (text == expected || DateTime.UtcNow > until)
            {
                return text;
            }
            await Task.Delay(50);
        }
    }
}
