using System.ComponentModel.DataAnnotations;

namespace WebIde.Execution.LanguageServers;

/// <summary>Language servers behind <c>/ws/lsp</c> (docs/api.md §6): <c>Execution:LanguageServers</c>.</summary>
public sealed class LanguageServerOptions
{
    public const string Section = "Execution:LanguageServers";

    /// <summary>Language servers one user may have running at once, on this instance; one more is closed with 4008.</summary>
    [Range(1, 64)]
    public int MaxPerUser { get; set; } = 4;

    /// <summary>
    /// A language server's container memory limit; its scratch disk (the workspace's files) counts against it. A limit,
    /// not a reservation: servers use 40–150 MiB idle, but TypeScript's tsserver peaked at 1.27 GiB for a moment
    /// during 200 quick edits of a one-line file (docs/benchmarks.md), and was killed under 512 MiB.
    /// </summary>
    [Range(128, 16384)]
    public int MemoryMb { get; set; } = 1536;

    /// <summary>
    /// A language server's container CPU limit, above a run's (1): starting a server and reading the project is
    /// CPU-bound (TypeScript's first completion took 3.3 s on one CPU) while the person waits; after that it idles.
    /// </summary>
    [Range(0.1, 64)]
    public double Cpus { get; set; } = 2;

    /// <summary>The longest a socket keeps its server: then it is closed (1001) and the editor connects again.</summary>
    public TimeSpan MaxSession { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A socket with no message from its client for this long is closed, and its server stopped.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest message either way; a client's larger one closes the socket with 1009.</summary>
    [Range(4096, 64 << 20)]
    public int MaxMessageBytes { get; set; } = 8 << 20;

    /// <summary>A client's steady message rate; past the burst the socket is closed with 1008.</summary>
    [Range(1, 10_000)]
    public double MessagesPerSecond { get; set; } = 100;

    [Range(1, 100_000)]
    public double MessageBurst { get; set; } = 400;
}
