using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.Collaboration.Events;

/// <summary>
/// A moved file's editors are told where it went and join it there. The move carried the
/// file's content as last written; snapshots are at most a moment behind, so what was typed in
/// that moment is the one thing a move can lose.
/// </summary>
public sealed class FileMovedConsumer(FileRemovals removals) : IConsumer<FileMoved>
{
    public Task Consume(ConsumeContext<FileMoved> context)
    {
        var moved = context.Message;
        return removals.CloseAsync(moved.WorkspaceId, moved.From, path => moved.To + path[moved.From.Length..]);
    }
}
