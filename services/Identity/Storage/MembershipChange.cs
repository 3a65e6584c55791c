namespace WebIde.Identity.Storage;

/// <summary>What a change of membership did, decided atomically by the store.</summary>
public enum MembershipChange
{
    Added,
    Updated,
    Unchanged,
    Removed,
    NotAMember,

    /// <summary>Refused: the workspace would be left without an owner.</summary>
    LastOwner,
    WorkspaceNotFound,
}
