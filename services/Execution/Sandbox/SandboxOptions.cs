using System.ComponentModel.DataAnnotations;

namespace WebIde.Execution.Sandbox;

public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>The runner image tag, <c>webide-runner:&lt;hash&gt;</c>, built by <c>deploy/runner/build.sh</c>.</summary>
    [Required]
    public string RunnerImage { get; set; } = "";

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// The installation whose containers these are, its data folder as the AppHost passes it:
    /// every container is labelled with it, and only containers labelled with it are removed.
    /// </summary>
    [Required]
    public string Installation { get; set; } = "";

    /// <summary>Processor share of one sandbox, in cores.</summary>
    [Range(0.1, 64)]
    public double Cpus { get; set; } = 1.0;

    /// <summary>
    /// The 64 processes of docs/api.md §5, counted as the kernel does (threads too), plus the agent and the
    /// jail's two bubblewrap processes (bwrap itself and the jail's init).
    /// </summary>
    [Range(8, 4096)]
    public int PidsLimit { get; set; } = 67;

    /// <summary>The scratch disk: a tmpfs at /sandbox holding the project, build output and temporary files.</summary>
    [Range(1 << 20, 1L << 30)]
    public long ScratchBytes { get; set; } = 64L << 20;

    /// <summary>Open files per process.</summary>
    [Range(64, 65536)]
    public int OpenFilesLimit { get; set; } = 256;

    /// <summary>How long beyond its own deadline a run may take before the service kills its container.</summary>
    public TimeSpan WatchdogGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A container older than this serves no further run, idle in the warm pool or a user's: it is replaced,
    /// so none serves a stale image or runs for ever. Its expiry label allows one longest run beyond it.
    /// </summary>
    public TimeSpan MaxIdleAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often containers whose run is over are looked for and removed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}
