using Grpc.Core;
using MassTransit;
using WebIde.Contracts.Events;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Execution.Runs;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// Keeps the workspace's files that language servers read current (docs/api.md §6: within 2 s of a
/// change): each instance hears every file event on a queue of its own and, for its open sessions of
/// the workspace, writes the changed file into their sandboxes (read once, with the service's token),
/// removes a deleted one, moves a moved one. Handled one at a time, in the order they arrive.
/// </summary>
public sealed class LanguageServerFilesConsumer(LanguageServerSessions sessions, Files.FilesClient files, WorkspaceSource workspaces, ILogger<LanguageServerFilesConsumer> logger)
    : IConsumer<FileChanged>, IConsumer<FileDeleted>, IConsumer<FileMoved>
{
    public async Task Consume(ConsumeContext<FileChanged> context)
    {
        var change = context.Message;
        if (change.EntryType != "file" || sessions.InWorkspace(change.WorkspaceId) is not { Count: > 0 } open)
        {
            return;
        }
        if (await ReadAsync(change.WorkspaceId, change.Path, context.CancellationToken) is { } content)
        {
            await EachAsync(open, session => session.ReplaceFileAsync(change.Path, content, change.Created, context.CancellationToken));
        }
    }

    public Task Consume(ConsumeContext<FileDeleted> context)
    {
        var deleted = context.Message;
        return EachAsync(sessions.InWorkspace(deleted.WorkspaceId), session => session.RemoveFileAsync(deleted.Path, context.CancellationToken));
    }

    public async Task Consume(ConsumeContext<FileMoved> context)
    {
        var moved = context.Message;
        if (sessions.InWorkspace(moved.WorkspaceId) is not { Count: > 0 } open)
        {
            return;
        }
        await EachAsync(open, session => session.RemoveFileAsync(moved.From, context.CancellationToken));
        // A moved directory's files are read again under their new paths (they are the workspace's now).
        IReadOnlyList<SourceFile> arrived = moved.EntryType == "file"
            ? await ReadAsync(moved.WorkspaceId, moved.To, context.CancellationToken) is { } content ? [new SourceFile(moved.To, content)] : []
            : [.. (await workspaces.ReadAsync(moved.WorkspaceId, bearerToken: null, long.MaxValue, context.CancellationToken))
                .Where(file => file.Path.StartsWith(moved.To + "/", StringComparison.Ordinal))];
        foreach (var file in arrived)
        {
            await EachAsync(open, session => session.ReplaceFileAsync(file.Path, file.Content, created: true, context.CancellationToken));
        }
    }

    /// <summary>The file's content now, or null when it is gone again (a later event says so).</summary>
    private async Task<byte[]?> ReadAsync(Guid workspaceId, string path, CancellationToken cancellationToken)
    {
        if (ProjectPaths.Problem(path) is not null)
        {
            return null;
        }
        try
        {
            var file = await files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspaceId.ToString("D"), Path = path }, cancellationToken: cancellationToken);
            return file.Content.ToByteArray();
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
        {
            return null;
        }
    }

    /// <summary>Each session's sandbox in turn; one whose server has gone is skipped (its socket is closing).</summary>
    private async Task EachAsync(IReadOnlyList<LanguageServerSession> open, Func<LanguageServerSession, Task> update)
    {
        foreach (var session in open)
        {
            try
            {
                await update(session);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                logger.LogDebug(exception, "Sandbox {SandboxId} took no file update: its language server has stopped", session.SandboxId);
            }
        }
    }
}
