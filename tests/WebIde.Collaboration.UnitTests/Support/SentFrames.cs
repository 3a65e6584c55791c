using System.Text.Json;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>Reads what a connection was sent, as JSON.</summary>
public static class SentFrames
{
    /// <summary>The next frame of <paramref name="type"/> (skipping others), or a failure at the deadline.</summary>
    public static async Task<JsonElement> NextAsync(this CollabConnection connection, string type, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var frame = await connection.Outbox.ReadAsync(deadline.Token);
            connection.Sent(frame);
            var root = JsonDocument.Parse(frame).RootElement;
            if (root.GetProperty("type").GetString() == type)
            {
                return root;
            }
        }
    }

    /// <summary>Every frame queued for the connection right now.</summary>
    public static List<JsonElement> Drain(this CollabConnection connection)
    {
        var frames = new List<JsonElement>();
        while (connection.Outbox.TryRead(out var frame))
        {
            connection.Sent(frame);
            frames.Add(JsonDocument.Parse(frame).RootElement);
        }
        return frames;
    }
}
