namespace WebIde.FileSystem.Storage;

/// <summary>
/// Who pays for a workspace's bytes, the rule both adapters apply: its longest-standing
/// owner (the creator, until they stop being an owner; then whoever was made owner first
/// after them). Members write into it at that owner's expense, as on hosted IDEs, and a
/// workspace whose owners the service never heard of (one created before it kept them)
/// counts against no account. Only what adds bytes is checked: a write that keeps a file's
/// size or shrinks it, a delete and a move always go through, so a full account can always
/// make room.
/// </summary>
public static class AccountQuota
{
    /// <summary>The account that pays for one workspace, from its owners; null when none is known.</summary>
    public static Guid? PayerOf(IEnumerable<WorkspaceOwner> owners) =>
        owners.OrderBy(owner => owner.Since).ThenBy(owner => owner.UserId).Select(owner => (Guid?)owner.UserId).FirstOrDefault();

    /// <summary>
    /// Of the workspaces whose owners are given (all of each workspace's owners), those that
    /// <paramref name="account"/> pays for.
    /// </summary>
    public static IReadOnlyList<Guid> PaidBy(Guid account, IEnumerable<WorkspaceOwner> owners) =>
        owners.GroupBy(owner => owner.WorkspaceId)
            .Where(workspace => PayerOf(workspace) == account)
            .Select(workspace => workspace.Key)
            .ToList();

    /// <summary>Why a change that leaves the paying account's workspaces holding <paramref name="bytes"/> is refused; null when it fits.</summary>
    public static string? Problem(long bytes, long maxAccountBytes) => bytes > maxAccountBytes
        ? $"The workspaces of this workspace's owner would hold {bytes} bytes together; the owner's account quota is {maxAccountBytes}."
        : null;
}
