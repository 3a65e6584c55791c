using WebIde.Identity.Storage;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>
/// In memory, with the port's rules: the creator is the one owner, the last owner can be
/// neither demoted nor removed, each decision taken under one lock as the real stores take it
/// in one transaction. Announcements go to <see cref="Outbox"/> under that lock, when the change is made.
/// </summary>
public sealed class FakeWorkspaceStore(FakeUserStore users, FakeOutboxStore outbox) : IWorkspaceStore
{
    public FakeOutboxStore Outbox => outbox;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Workspace> _workspaces = [];
    private readonly Dictionary<(Guid Workspace, Guid User), WorkspaceRole> _roles = [];

    public Task CreateAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        lock (_lock)
        {
            _workspaces.Add(workspace.Id, workspace);
            _roles[(workspace.Id, ownerId)] = WorkspaceRole.Owner;
            Announce(announce);
        }
        return Task.CompletedTask;
    }

    public Task<Workspace?> FindAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_workspaces.GetValueOrDefault(workspaceId));
        }
    }

    public Task<IReadOnlyList<(Workspace Workspace, WorkspaceRole Role)>> ListForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<(Workspace, WorkspaceRole)> list = _roles
                .Where(entry => entry.Key.User == userId)
                .Select(entry => (_workspaces[entry.Key.Workspace], entry.Value))
                .ToList();
            return Task.FromResult(list);
        }
    }

    public async Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        List<(Guid User, WorkspaceRole Role)> entries;
        lock (_lock)
        {
            entries = _roles.Where(entry => entry.Key.Workspace == workspaceId).Select(entry => (entry.Key.User, entry.Value)).ToList();
        }
        var members = new List<WorkspaceMember>();
        foreach (var (userId, role) in entries)
        {
            var user = await users.FindByIdAsync(userId, cancellationToken);
            members.Add(new WorkspaceMember(workspaceId, userId, user!.Username, role));
        }
        return members;
    }

    public Task<WorkspaceRole?> FindRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_roles.TryGetValue((workspaceId, userId), out var role) ? role : (WorkspaceRole?)null);
        }
    }

    public Task<MembershipChange> SetRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        lock (_lock)
        {
            if (!_workspaces.ContainsKey(workspaceId))
            {
                return Task.FromResult(MembershipChange.WorkspaceNotFound);
            }
            if (!_roles.TryGetValue((workspaceId, userId), out var current))
            {
                _roles[(workspaceId, userId)] = role;
                Announce(announce);
                return Task.FromResult(MembershipChange.Added);
            }
            if (current == role)
            {
                return Task.FromResult(MembershipChange.Unchanged);
            }
            if (current == WorkspaceRole.Owner && OwnerCount(workspaceId) == 1)
            {
                return Task.FromResult(MembershipChange.LastOwner);
            }
            _roles[(workspaceId, userId)] = role;
            Announce(announce);
            return Task.FromResult(MembershipChange.Updated);
        }
    }

    public Task<MembershipChange> RemoveMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        lock (_lock)
        {
            if (!_workspaces.ContainsKey(workspaceId))
            {
                return Task.FromResult(MembershipChange.WorkspaceNotFound);
            }
            if (!_roles.TryGetValue((workspaceId, userId), out var current))
            {
                return Task.FromResult(MembershipChange.NotAMember);
            }
            if (current == WorkspaceRole.Owner && OwnerCount(workspaceId) == 1)
            {
                return Task.FromResult(MembershipChange.LastOwner);
            }
            _roles.Remove((workspaceId, userId));
            Announce(announce);
            return Task.FromResult(MembershipChange.Removed);
        }
    }

    public Task<bool> DeleteAsync(Guid workspaceId, CancellationToken cancellationToken, OutboxMessage? announce = null)
    {
        lock (_lock)
        {
            foreach (var key in _roles.Keys.Where(key => key.Workspace == workspaceId).ToList())
            {
                _roles.Remove(key);
            }
            if (!_workspaces.Remove(workspaceId))
            {
                return Task.FromResult(false);
            }
            Announce(announce);
            return Task.FromResult(true);
        }
    }

    private void Announce(OutboxMessage? announce)
    {
        if (announce is not null)
        {
            outbox.Append(announce);
        }
    }

    private int OwnerCount(Guid workspaceId) =>
        _roles.Count(entry => entry.Key.Workspace == workspaceId && entry.Value == WorkspaceRole.Owner);
}
