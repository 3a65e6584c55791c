using System.ComponentModel.DataAnnotations;

namespace WebIde.Identity.Workspaces;

/// <summary>How much one account may own (<c>Workspaces</c> in configuration).</summary>
public sealed class WorkspaceLimits
{
    public const string Section = "Workspaces";

    /// <summary>
    /// Workspaces one user may own. Each carries a storage quota of its own, so without this
    /// cap one account could claim unbounded storage by making workspaces.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxOwnedPerUser { get; set; } = 100;
}
