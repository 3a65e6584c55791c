namespace WebIde.Identity.Workspaces;

public static class WorkspaceName
{
    public const int MaxLength = 100;

    /// <summary>
    /// The name as stored: trimmed, 1–<see cref="MaxLength"/> characters, no control characters
    /// (they would break logs, terminals and the IDE's tab titles). Null with the reason otherwise.
    /// </summary>
    public static string? Normalize(string? name, out string? error)
    {
        var trimmed = name?.Trim();
        error = trimmed switch
        {
            null or "" => "The workspace's name is required.",
            { Length: > MaxLength } => $"The workspace's name is at most {MaxLength} characters.",
            _ when trimmed.Any(char.IsControl) => "The workspace's name cannot contain control characters.",
            _ => null,
        };
        return error is null ? trimmed : null;
    }
}
