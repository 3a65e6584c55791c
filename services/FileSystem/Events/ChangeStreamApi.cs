using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Apis;
using WebIde.FileSystem.Storage;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.Events;

/// <summary>
/// <c>GET /api/workspaces/{id}/events</c>: the workspace's changes as server-sent events, each
/// with its sequence number as the event id. A client that reconnects with
/// <c>Last-Event-ID</c> (browsers' EventSource does so by itself; scripts may also pass
/// <c>?lastEventId=</c>) gets every change after it replayed from the log, so a tree kept
/// from these events misses nothing. Without one, the stream starts at the present. When
/// the changes after that id were trimmed already, one <c>reset</c> event says so: reload
/// the tree, then carry on from the id it carries. An idle stream sends a comment every
/// heartbeat, and ends when the caller loses access to the workspace.
/// </summary>
public static class ChangeStreamApi
{
    private const int PageSize = 500;

    public static IEndpointRouteBuilder MapChangeStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workspaces/{id}/events", StreamAsync).WithTags("Files").RequireAuthorization()
            .WithName("WatchEvents").WithSummary("The workspace's changes as server-sent events.")
            .Produces<ChangeEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static async Task StreamAsync(
        string id,
        HttpContext context,
        WorkspaceAccess access,
        MembershipWatcher watcher,
        IFileStore store,
        ChangeFeed feed,
        IOptions<ChangeEventsOptions> options,
        IOptions<JsonOptions> json,
        SessionRevocations revocations,
        EventStreamSlots slots,
        CancellationToken requestAborted)
    {
        // A stream outlives the token that opened it: it ends when the session is revoked (logout).
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var cancellationToken = ended.Token;
        var sessionId = context.User.FindFirst("sid")?.Value;
        void EndIfOurs(string revoked)
        {
            if (revoked == sessionId)
            {
                ended.Cancel();
            }
        }
        revocations.Revoked += EndIfOurs;
        try
        {
            var (grant, refusal) = await access.CheckAsync(id, context.User, WorkspaceRole.Viewer, cancellationToken);
            if (grant is null)
            {
                await refusal!.ExecuteAsync(context);
                return;
            }
            using var slot = slots.TryOpen(grant.UserId);
            if (slot is null)
            {
                context.Response.Headers.RetryAfter = "5";
                await FileProblems.TooManyStreams(options.Value.MaxStreamsPerUser).ExecuteAsync(context);
                return;
            }

            // A member removed (or a workspace deleted) since the stream began stops hearing about it within a second.
            using var watch = watcher.Watch(grant.WorkspaceId, grant.UserId, grant.Role, role =>
            {
                if (role == WorkspaceRole.None)
                {
                    ended.Cancel();
                }
                return Task.CompletedTask;
            });

            long position;
            var resumeFrom = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : context.Request.Query["lastEventId"].ToString();
            if (resumeFrom.Length > 0)
            {
                if (!long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out position))
                {
                    await FileProblems.Invalid("Last-Event-ID must be the id of an event of this stream.").ExecuteAsync(context);
                    return;
                }
            }
            else
            {
                // Decided before the answer starts: anything the client does after it sees the
                // answer's headers comes after this position.
                position = (await store.ReadChangesAsync(grant.WorkspaceId, long.MaxValue, 1, cancellationToken)).LatestSequence;
            }

            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache, no-transform";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await WriteAsync(response, "retry: 2000\n: connected\n\n", cancellationToken);

            var heartbeat = options.Value.Heartbeat;
            var poll = options.Value.Poll;
            var lastSent = DateTimeOffset.UtcNow;
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var woken = feed.NextChange(grant.WorkspaceId);
                    var page = await store.ReadChangesAsync(grant.WorkspaceId, position, PageSize, cancellationToken);
                    if (page.HistoryLost)
                    {
                        position = page.LatestSequence;
                        await WriteAsync(response, $"id: {position}\nevent: reset\ndata: {{\"latestSequence\":{position}}}\n\n", cancellationToken);
                        lastSent = DateTimeOffset.UtcNow;
                        continue;
                    }
                    if (page.Changes.Count > 0)
                    {
                        var text = new StringBuilder();
                        foreach (var change in page.Changes)
                        {
                            text.Append("id: ").Append(change.Sequence).Append('\n')
                                .Append("data: ").Append(JsonSerializer.Serialize(ToEvent(change), json.Value.SerializerOptions)).Append("\n\n");
                            position = change.Sequence;
                        }
                        await WriteAsync(response, text.ToString(), cancellationToken);
                        lastSent = DateTimeOffset.UtcNow;
                        if (page.Changes.Count == PageSize)
                        {
                            continue;
                        }
                    }

                    await Task.WhenAny(woken, Task.Delay(poll, cancellationToken));
                    if (DateTimeOffset.UtcNow - lastSent >= heartbeat)
                    {
                        await WriteAsync(response, ": heartbeat\n\n", cancellationToken);
                        lastSent = DateTimeOffset.UtcNow;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The client went away, or its session ended.
            }
        }
        finally
        {
            revocations.Revoked -= EndIfOurs;
        }
    }

    /// <summary>The event body of docs/api.md §3: <c>{type, path, from?, version?, userId}</c>, plus the entry type, size, sequence and time.</summary>
    public static ChangeEvent ToEvent(FileChange change) => new(
        change.Type switch
        {
            ChangeType.Created => "created",
            ChangeType.Changed => "changed",
            ChangeType.Deleted => "deleted",
            _ => "moved",
        },
        change.Path,
        change.From,
        FilesApi.TypeName(change.EntryType),
        change.Version,
        change.Size,
        change.UserId,
        change.Sequence,
        change.At);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
