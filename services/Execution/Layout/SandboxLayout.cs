namespace WebIde.Execution.Layout;

/// <summary>Where things live inside a sandbox; all of it is on the scratch tmpfs, the rest is read-only.</summary>
public static class SandboxLayout
{
    public const string Root = "/sandbox";
    public const string Build = ".webide/build";
    public const string BuildAbsolute = Root + "/" + Build;
    public const string Temp = ".webide/tmp";
    public const string Home = ".webide/home";
    public const string Cache = ".webide/cache";

    public static IReadOnlyList<string> Directories { get; } = [Build, Temp, Home, Cache];

    /// <summary>The environment of every step: nothing from the host, nothing of the platform's.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["HOME"] = $"{Root}/{Home}",
        ["TMPDIR"] = $"{Root}/{Temp}",
        ["PYTHONUNBUFFERED"] = "1",
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["GOCACHE"] = $"{Root}/{Cache}/go-build",
        ["GOPATH"] = $"{Root}/{Cache}/go",
        ["GOTMPDIR"] = $"{Root}/{Temp}",
        ["GOTOOLCHAIN"] = "local",
    };
}
