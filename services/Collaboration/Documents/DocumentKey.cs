namespace WebIde.Collaboration.Documents;

/// <summary>One collaboratively edited file: a workspace and a path in it.</summary>
public readonly record struct DocumentKey(Guid WorkspaceId, string Path)
{
    /// <summary>The key's one-string form, used in Redis key names and channels.</summary>
    public string Id => $"{WorkspaceId:N}:{Path}";

    public static DocumentKey FromId(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return new DocumentKey(Guid.ParseExact(id[..colon], "N"), id[(colon + 1)..]);
    }

    /// <summary>Whether this document is <paramref name="path"/> itself or lies under it as a directory.</summary>
    public bool IsAtOrUnder(Guid workspaceId, string path) =>
        WorkspaceId == workspaceId && (Path == path || Path.StartsWith(path + "/", StringComparison.Ordinal));
}
