namespace WebIde.AppHost.Sandbox;

/// <summary>
/// Builds the sandbox runner image from Debian packages (<c>deploy/runner/build.sh</c>); a run
/// that finds the image already built ends at once. The execution service waits for it.
/// </summary>
public sealed class RunnerImageResource(string name, string repositoryRoot, string tag)
    : ExecutableResource(name, "bash", repositoryRoot)
{
    public const string BuildScript = "deploy/runner/build.sh";

    public string Tag { get; } = tag;
}
