namespace WebIde.Execution.Runs;

/// <summary>Paths a sandbox accepts: relative, '/'-separated, no empty, '.' or '..' segment, no control characters.</summary>
public static class ProjectPaths
{
    public const int MaxLength = 1024;

    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "is empty";
        }
        if (path.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }
        if (path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            return "must be relative and '/'-separated";
        }
        if (path.Any(char.IsControl))
        {
            return "contains a control character";
        }
        if (path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return "has an empty, '.' or '..' segment";
        }
        if (path.StartsWith(".webide/", StringComparison.Ordinal) || path == ".webide")
        {
            return "is inside .webide/, which the sandbox keeps for itself";
        }
        return null;
    }
}
