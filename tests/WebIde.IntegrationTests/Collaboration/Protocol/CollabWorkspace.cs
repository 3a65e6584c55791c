using System.Net;
using System.Text.Json;
using WebIde.IntegrationTests.Files;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>A workspace with a file to edit together, and editors joined to it over <c>/ws/collab</c> through the gateway.</summary>
public sealed class CollabWorkspace(FileWorkspace files) : IDisposable
{
    public static readonly TimeSpan Answer = TimeSpan.FromSeconds(20);

    public FileWorkspace Files => files;

    public static async Task<CollabWorkspace> CreateAsync(string path, string text)
    {
        var workspace = new CollabWorkspace(await FileWorkspace.CreateAsync("collab"));
        using var written = await workspace.Files.PutTextAsync(path, text);
        Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created), await written.Content.ReadAsStringAsync());
        return workspace;
    }

    public Task<JsonSocketClient> ConnectAsync(string? token = null) =>
        JsonSocketClient.ConnectAsync(files.Id, token ?? files.AccessToken, "collab");

    /// <summary>A new connection joined to <paramref name="path"/>, and its <c>joined</c> answer.</summary>
    public async Task<(JsonSocketClient Socket, JsonElement Joined)> JoinAsync(string path, string? token = null)
    {
        var socket = await ConnectAsync(token);
        await socket.SendAsync(new { type = "join", path });
        var joined = await socket.ReceiveAsync(Answer);
        Assert.That(JsonSocketClient.TypeOf(joined), Is.EqualTo("joined"), joined.GetRawText());
        return (socket, joined);
    }

    /// <summary>What a newcomer sees: the text and revision of a fresh join.</summary>
    public async Task<(string Content, long Revision)> ServerTextAsync(string path)
    {
        var (socket, joined) = await JoinAsync(path);
        await using (socket)
        {
            return (joined.GetProperty("content").GetString()!, joined.GetProperty("revision").GetInt64());
        }
    }

    /// <summary>The next message of a type, skipping presence chatter (peers joining, leaving, moving their cursors).</summary>
    public static async Task<JsonElement> NextAsync(JsonSocketClient socket, string type)
    {
        var until = DateTime.UtcNow + Answer;
        while (true)
        {
            var left = until - DateTime.UtcNow;
            var message = await socket.ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            var seen = JsonSocketClient.TypeOf(message);
            if (seen == type)
            {
                return message;
            }
            if (seen is not ("peer-joined" or "peer-left" or "selection"))
            {
                Assert.Fail($"expected {type}, got {message.GetRawText()}");
            }
        }
    }

    public static string UsernameOf(string accessToken) => Jwt.Decode(accessToken).Payload.GetProperty("name").GetString()!;

    public void Dispose() => files.Dispose();
}
