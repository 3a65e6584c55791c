using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.Events;

/// <summary>
/// Records the new workspace's owner, who pays for its bytes (<see cref="AccountQuota"/>), and
/// gives it something to run: a <c>main.py</c> and a <c>README.md</c>, written as its owner.
/// Create-only, so a redelivered event or a file the owner wrote first is left alone.
/// </summary>
public sealed class WorkspaceCreatedConsumer(WorkspaceFiles files, IFileStore store, IOptions<StarterProjectOptions> options) : IConsumer<WorkspaceCreated>
{
    public static readonly IReadOnlyList<(string Path, string Text)> StarterFiles =
    [
        ("main.py", "print(\"Hello from WebIde!\")\n"),
        ("README.md", "# New workspace\n\nEdit `main.py` and press Run. Invite others from the workspace menu to edit together.\n"),
    ];

    public async Task Consume(ConsumeContext<WorkspaceCreated> context)
    {
        await store.AddOwnerAsync(context.Message.WorkspaceId, context.Message.OwnerId, context.Message.CreatedAt, context.CancellationToken);
        if (!options.Value.Enabled)
        {
            return;
        }

        foreach (var (path, text) in StarterFiles)
        {
            await files.WriteAsync(
                new FileWrite(context.Message.WorkspaceId, path, Encoding.UTF8.GetBytes(text), WriteCondition.CreateOnly, context.Message.OwnerId),
                context.CancellationToken);
        }
    }
}
