namespace WebIde.Identity.Storage;

/// <summary>Each role includes the rights of the ones below it.</summary>
public enum WorkspaceRole
{
    Viewer = 1,
    Editor = 2,
    Owner = 3,
}
