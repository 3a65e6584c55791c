namespace WebIde.Execution.Sandbox;

/// <summary>
/// Labels on every container the platform creates, so that whatever it leaves behind — after a
/// crash too — can be found and removed, by the service and by <c>./webide</c> on exit; each
/// removes only its own installation's (docs/platform.md, "Sandbox containers"). The
/// <c>webide</c> script repeats <see cref="Managed"/> and <see cref="Installation"/>.
/// </summary>
public static class SandboxLabels
{
    public const string Managed = "webide.managed";

    /// <summary>The installation that owns the container: its data folder (<see cref="SandboxOptions.Installation"/>).</summary>
    public const string Installation = "webide.installation";
    public const string Workspace = "webide.workspace";
    public const string Run = "webide.run";
    public const string Pool = "webide.pool";

    /// <summary>On a container that runs a language server (docs/api.md §6): the language.</summary>
    public const string LanguageServer = "webide.language-server";

    /// <summary>The user a container belongs to, on a language server's (a run's container learns its user only at its first run).</summary>
    public const string Tenant = "webide.tenant";

    /// <summary>The service instance (process) that started the container, for operators who run several.</summary>
    public const string Instance = "webide.instance";

    /// <summary>Unix seconds after which the container is certainly unused, whoever created it.</summary>
    public const string Expires = "webide.expires";

    /// <summary>What makes a container one of <paramref name="installation"/>'s to find and remove.</summary>
    public static Dictionary<string, string> Owned(string installation) => new()
    {
        [Managed] = "true",
        [Installation] = installation,
    };
}
