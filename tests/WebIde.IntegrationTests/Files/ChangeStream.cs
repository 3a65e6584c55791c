using System.Text.Json;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// A workspace's change stream (<c>GET /api/workspaces/{id}/events</c>) read through the
/// gateway as raw server-sent events, so that the wire format itself is what is checked.
/// </summary>
public sealed class ChangeStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ChangeStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>Returns once the answer's headers are in: from then on, every change is on the stream.</summary>
    public static async Task<ChangeStream> OpenAsync(FileWorkspace workspace)
    {
        var request = Accounts.Authorized(HttpMethod.Get, $"/api/workspaces/{workspace.Id}/events", workspace.AccessToken);
        var response = await workspace.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new ChangeStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event whose data matches, skipping comments, heartbeats and other events.</summary>
    public async Task<(long Id, JsonElement Data)> NextAsync(Func<JsonElement, bool> wanted, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        long? id = null;
        string? data = null;
        while (await _reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else if (line.Length == 0)
            {
                if (id is { } eventId && data is not null)
                {
                    var parsed = JsonDocument.Parse(data).RootElement.Clone();
                    if (wanted(parsed))
                    {
                        return (eventId, parsed);
                    }
                }
                (id, data) = (null, null);
            }
        }
        throw new EndOfStreamException("The change stream ended before the awaited event.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
