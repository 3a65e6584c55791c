namespace WebIde.FileSystem.Files;

/// <summary>Whether a new workspace starts with a small project (<c>FileSystem:StarterProject</c>).</summary>
public sealed class StarterProjectOptions
{
    public const string Section = "FileSystem:StarterProject";

    public bool Enabled { get; set; } = true;
}
