using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// A workspace's change stream (<c>GET /api/workspaces/{id}/events</c>) read as a browser's
/// EventSource reads it: line by line as bytes arrive, never waiting for the answer to end.
/// </summary>
public sealed class EventStream : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream; the answer may be a refusal, which the caller checks on <see cref="Response"/>.</summary>
    public static async Task<EventStream> OpenAsync(FileWorkspace workspace, string? token = null, string? lastEventId = null)
    {
        var request = workspace.Request(HttpMethod.Get, "events", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        using var deadline = new CancellationTokenSource(Patience);
        var response = await workspace.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        // A refusal is left unread, for the caller to look at.
        var body = response.IsSuccessStatusCode ? await response.Content.ReadAsStreamAsync(deadline.Token) : Stream.Null;
        return new EventStream(response, new StreamReader(body, Encoding.UTF8));
    }

    /// <summary>Opens the stream and asserts that it is one, up to its first comment (so it is live).</summary>
    public static async Task<EventStream> SubscribeAsync(FileWorkspace workspace, string? token = null, string? lastEventId = null)
    {
        var stream = await OpenAsync(workspace, token, lastEventId);
        Assert.That(stream.Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(stream.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        var first = await stream.NextAsync();
        Assert.That(first.IsComment, Is.True, $"the stream should open with a comment, not {first}");
        return stream;
    }

    /// <summary>The next message, comments included; fails when none arrives within <paramref name="within"/>.</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan? within = null)
    {
        var (message, ended) = await ReadAsync(within ?? Patience);
        Assert.That(ended, Is.False, "the event stream ended");
        Assert.That(message, Is.Not.Null, $"no message on the event stream within {(within ?? Patience).TotalSeconds} s");
        return message!;
    }

    /// <summary>The next message; null with <c>Ended</c> when the server closed the stream, null alone when nothing came in time.</summary>
    public async Task<(ServerSentEvent? Message, bool Ended)> ReadAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        string? id = null, name = null, comment = null;
        var data = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return (null, false);
            }
            catch (IOException)
            {
                return (null, true);
            }
            if (line is null)
            {
                return (null, true);
            }
            if (line.Length == 0)
            {
                if (data.Count > 0 || comment is not null)
                {
                    return (new ServerSentEvent(id, name, data.Count > 0 ? string.Join('\n', data) : null, data.Count > 0 ? null : comment), false);
                }
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "":
                    comment = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> events, skipping comments (heartbeats).</summary>
    public async Task<List<ServerSentEvent>> EventsAsync(int count)
    {
        var events = new List<ServerSentEvent>();
        while (events.Count < count)
        {
            var message = await NextAsync();
            if (!message.IsComment)
            {
                events.Add(message);
            }
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
