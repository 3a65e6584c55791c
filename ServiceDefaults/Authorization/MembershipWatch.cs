namespace WebIde.ServiceDefaults.Authorization;

/// <summary>
/// One long-lived connection's registration with the <see cref="MembershipWatcher"/>: the role it
/// holds now and what to do when that changes. Disposing it ends the watch.
/// </summary>
public sealed class MembershipWatch(Guid workspaceId, Guid userId, WorkspaceRole admitted, Func<WorkspaceRole, Task> changed, Action<MembershipWatch> end)
    : IDisposable
{
    private int _role = (int)admitted;

    public Guid WorkspaceId => workspaceId;

    public Guid UserId => userId;

    public WorkspaceRole Role => (WorkspaceRole)Volatile.Read(ref _role);

    /// <summary>Takes <paramref name="fresh"/> as the role; true when it differs from the one held (the caller then calls <see cref="ChangedAsync"/>).</summary>
    internal bool TryChange(WorkspaceRole fresh) => Interlocked.Exchange(ref _role, (int)fresh) != (int)fresh;

    internal Task ChangedAsync(WorkspaceRole fresh) => changed(fresh);

    public void Dispose() => end(this);
}
