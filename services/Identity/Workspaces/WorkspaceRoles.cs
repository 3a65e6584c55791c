using WebIde.Identity.Storage;

namespace WebIde.Identity.Workspaces;

/// <summary>The lower-case names of the roles (docs/api.md §2).</summary>
public static class WorkspaceRoles
{
    public const string Owner = "owner";
    public const string Editor = "editor";
    public const string Viewer = "viewer";

    public static string ToName(this WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => Owner,
        WorkspaceRole.Editor => Editor,
        WorkspaceRole.Viewer => Viewer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a workspace role."),
    };

    /// <summary>
    /// Exactly the names of docs/api.md §2. Enum.TryParse is not used: it would also take "Owner",
    /// " owner" and "3", and a role is not something to guess.
    /// </summary>
    public static bool TryParse(string? name, out WorkspaceRole role)
    {
        (var known, role) = name switch
        {
            Owner => (true, WorkspaceRole.Owner),
            Editor => (true, WorkspaceRole.Editor),
            Viewer => (true, WorkspaceRole.Viewer),
            _ => (false, default),
        };
        return known;
    }
}
