namespace WebIde.FileSystem.Access;

/// <summary>Why a caller may not do something in a workspace.</summary>
public enum AccessRefusal
{
    /// <summary>Not a member, or no such workspace: the two are told apart to nobody.</summary>
    NotAMember,

    /// <summary>A member whose role is below what the call needs.</summary>
    RoleTooLow,
}
