using System.ComponentModel.DataAnnotations;

namespace WebIde.Execution.Sandbox;

public sealed class WarmPoolOptions
{
    public const string Section = "Execution:Pool";

    /// <summary>
    /// The languages that get a pool. The service fills in its language catalog's names, so that the
    /// sandbox need not know the catalog (docs/platform.md, "Languages").
    /// </summary>
    public IReadOnlyList<string> Languages { get; set; } = [];

    /// <summary>Idle containers kept per language when nobody is running anything.</summary>
    [Range(0, 64)]
    public int DefaultSize { get; set; } = 1;

    /// <summary>Per-language sizes that differ from <see cref="DefaultSize"/>, e.g. <c>python: 2</c>.</summary>
    public Dictionary<string, int> Sizes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The most idle containers one language may hold, however busy it is.</summary>
    [Range(0, 256)]
    public int MaxSize { get; set; } = 8;

    /// <summary>
    /// Load sizing: a language gets, on top of its size, the runs it served in this window scaled
    /// to one second, so the pool holds about a second of demand.
    /// </summary>
    public TimeSpan DemandWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Containers started at the same time while refilling.</summary>
    [Range(1, 16)]
    public int RefillParallelism { get; set; } = 3;

    /// <summary>Containers one user may hold, in runs or idle: as many as the runs they may have going (Execution:Runs).</summary>
    [Range(1, 1024)]
    public int PerUser { get; set; } = 4;

    /// <summary>Runs one container serves before it is replaced by a fresh one.</summary>
    [Range(1, 100_000)]
    public int RunsPerContainer { get; set; } = 100;

    /// <summary>How long a user's container waits for their next run before it is removed.</summary>
    public TimeSpan UserIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public int SizeOf(string language) => Sizes.GetValueOrDefault(language, DefaultSize);
}
