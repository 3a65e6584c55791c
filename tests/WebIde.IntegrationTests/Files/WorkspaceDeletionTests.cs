using System.Net;
using Microsoft.Data.Sqlite;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// docs/api.md §2: deleting a workspace takes its files with it. The API cannot show that (a
/// deleted workspace is 404 to everyone), so the filesystem service's own SQLite file is
/// read: every row of the workspace must go, and only of that one.
/// </summary>
public sealed class WorkspaceDeletionTests
{
    private static readonly string[] Tables = ["entries", "tombstones", "changes", "workspaces"];

    private static string Database => Path.Combine(Platform.DataDir, "filesystem", "filesystem.db");

    /// <summary>How many rows each table holds for the workspace.</summary>
    internal static async Task<Dictionary<string, long>> RowsAsync(string workspaceId)
    {
        await using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var rows = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {table} WHERE workspace_id = @workspace";
            command.Parameters.AddWithValue("@workspace", Guid.Parse(workspaceId).ToString("D"));
            rows[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return rows;
    }

    [Test]
    public async Task DeletingTheWorkspaceRemovesAllItsFilesAndEndsItsEventStream()
    {
        using var doomed = await FileWorkspace.CreateAsync("doomed");
        using var kept = await FileWorkspace.CreateAsync("kept");
        foreach (var workspace in new[] { doomed, kept })
        {
            using (await workspace.PutTextAsync("src/a.txt", "a"))
            using (await workspace.PutTextAsync("b.txt", "b"))
            using (await workspace.DeleteAsync("b.txt"))
            {
            }
        }
        var doomedBefore = await RowsAsync(doomed.Id);
        var keptBefore = await RowsAsync(kept.Id);
        await using var stream = await EventStream.SubscribeAsync(doomed);

        using var deleted = await doomed.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{doomed.Id}", doomed.AccessToken));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Dictionary<string, long> doomedAfter;
        while ((doomedAfter = await RowsAsync(doomed.Id)).Values.Sum() > 0)
        {
            await Task.Delay(100, deadline.Token);
        }
        HttpStatusCode treeStatus;
        while ((treeStatus = await StatusAsync(doomed, "tree")) != HttpStatusCode.NotFound)
        {
            await Task.Delay(100, deadline.Token);
        }
        var fileStatus = await StatusAsync(doomed, "files/src/a.txt");
        var streamEnded = await EndsAsync(stream);

        Assert.Multiple(() =>
        {
            Assert.That(doomedBefore.Values, Has.All.GreaterThan(0), "the workspace's rows were found before the delete");
            Assert.That(doomedAfter.Values, Has.All.EqualTo(0));
            Assert.That(treeStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(fileStatus, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(streamEnded, Is.True, "the deleted workspace's event stream should end");
        });
        Assert.That(await RowsAsync(kept.Id), Is.EquivalentTo(keptBefore), "another workspace lost rows");
        Assert.That(await kept.ReadBytesAsync("src/a.txt"), Is.EqualTo("a"u8.ToArray()));
    }

    [Test]
    public async Task WritesRacingTheDeletionLeaveNothingBehind()
    {
        using var doomed = await FileWorkspace.CreateAsync("doomed");
        using (await doomed.PutTextAsync("first.txt", "x"))
        {
        }

        using var deleted = await doomed.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{doomed.Id}", doomed.AccessToken));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        // The owner's client keeps writing, as an editor tab would, until it is told the workspace is gone.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var accepted = new List<string>();
        for (var attempt = 0; ; attempt++)
        {
            using var late = await doomed.PutTextAsync($"late-{attempt}.txt", "late");
            if (late.StatusCode == HttpStatusCode.NotFound)
            {
                break;
            }
            accepted.Add($"late-{attempt}.txt {(int)late.StatusCode}");
            await Task.Delay(20, deadline.Token);
        }
        Dictionary<string, long> rows;
        while ((rows = await RowsAsync(doomed.Id)).Values.Sum() > 0 && !deadline.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
        }

        Assert.That(rows.Values, Has.All.EqualTo(0),
            $"rows of the deleted workspace are left: {string.Join(", ", rows.Select(row => $"{row.Key}={row.Value}"))}; writes answered after the delete: {string.Join(", ", accepted)}");
    }

    private static async Task<HttpStatusCode> StatusAsync(FileWorkspace workspace, string relative)
    {
        using var response = await workspace.Client.SendAsync(workspace.Request(HttpMethod.Get, relative));
        return response.StatusCode;
    }

    /// <summary>Whether the stream ends (rather than idling on) within a few heartbeats.</summary>
    private static async Task<bool> EndsAsync(EventStream stream)
    {
        while (true)
        {
            var (message, ended) = await stream.ReadAsync(FileQuota.Heartbeat * 4);
            if (ended)
            {
                return true;
            }
            if (message is null || !message.IsComment)
            {
                return false;
            }
        }
    }
}
