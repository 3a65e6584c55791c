namespace WebIde.ServiceDefaults.Authorization;

/// <summary>A caller's role in a workspace; each includes the ones below it.</summary>
public enum WorkspaceRole
{
    None = 0,
    Viewer = 1,
    Editor = 2,
    Owner = 3,
}
