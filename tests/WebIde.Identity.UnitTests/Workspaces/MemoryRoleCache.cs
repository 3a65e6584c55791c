using System.Collections.Concurrent;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>
/// A cache that keeps what it read until it is invalidated (no expiry at all), so a test in
/// which someone's new role shows at once proves that the change invalidated it.
/// </summary>
public sealed class MemoryRoleCache(IWorkspaceStore workspaces, Journal journal) : IRoleCache
{
    private readonly ConcurrentDictionary<(Guid Workspace, Guid User), WorkspaceRole?> _entries = new();

    public bool Holds(Guid workspaceId, Guid userId) => _entries.ContainsKey((workspaceId, userId));

    public async Task<WorkspaceRole?> GetRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue((workspaceId, userId), out var role))
        {
            return role;
        }
        role = await workspaces.FindRoleAsync(workspaceId, userId, cancellationToken);
        _entries[(workspaceId, userId)] = role;
        return role;
    }

    public Task InvalidateAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        _entries.TryRemove((workspaceId, userId), out _);
        journal.Add($"invalidate {workspaceId} {userId}");
        return Task.CompletedTask;
    }

    public Task InvalidateWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        foreach (var key in _entries.Keys.Where(key => key.Workspace == workspaceId))
        {
            _entries.TryRemove(key, out _);
        }
        journal.Add($"invalidate {workspaceId}");
        return Task.CompletedTask;
    }
}
