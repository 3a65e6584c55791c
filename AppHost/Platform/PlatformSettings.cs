using Microsoft.Extensions.Configuration;
using WebIde.AppHost.Platform.Tls;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Platform;

/// <summary>
/// The <c>WebIde</c> configuration section: how the platform runs on this machine.
/// <c>./webide up</c> passes these as command-line arguments.
/// </summary>
public sealed record PlatformSettings(
    InfrastructureMode Mode,
    int? HttpPort,
    int? GrpcPort,
    string DataDir,
    string Installation,
    string RepositoryRoot,
    string WebRoot,
    string? RunnerImage,
    string? GatewayConfig = null,
    TlsSettings? Tls = null)
{
    public static PlatformSettings From(IConfiguration configuration, string appHostDirectory)
    {
        var section = configuration.GetSection("WebIde");
        var repositoryRoot = Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
        var modeText = section["Mode"] ?? "local";
        if (!Enum.TryParse<InfrastructureMode>(modeText, ignoreCase: true, out var mode))
        {
            throw new InvalidOperationException($"WebIde:Mode is '{modeText}'; it must be 'local' or 'containers'.");
        }

        var dataDir = Path.GetFullPath(section["DataDir"] ?? ".data", appHostDirectory);

        return new PlatformSettings(
            mode,
            Port(section, "HttpPort"),
            Port(section, "GrpcPort"),
            dataDir,
            // Whose sandbox containers are whose: the data folder, unless a test boot shares its checkout's.
            section["Installation"] ?? dataDir,
            repositoryRoot,
            Path.GetFullPath(section["WebRoot"] ?? Path.Combine(repositoryRoot, "web", "dist")),
            section["RunnerImage"],
            string.IsNullOrEmpty(section["GatewayConfig"]) ? null : Path.GetFullPath(section["GatewayConfig"]!, appHostDirectory),
            TlsSettings.From(section.GetSection("Tls"), appHostDirectory));
    }

    /// <summary>
    /// The orchestrator's options, read before the builder exists: <c>--WebIde:Dashboard=false</c>
    /// (<c>./webide up --no-dashboard</c>) runs without the dashboard, which otherwise is the
    /// largest idle process and keeps a share of a core busy.
    /// </summary>
    public static DistributedApplicationOptions BuilderOptions(string[] args)
    {
        var commandLine = new ConfigurationBuilder().AddCommandLine(args).Build();
        return new DistributedApplicationOptions
        {
            Args = args,
            DisableDashboard = !HasDashboard(commandLine),
        };
    }

    /// <summary>Whether the platform runs with the dashboard (<c>WebIde:Dashboard</c> is not <c>false</c>).</summary>
    public static bool HasDashboard(IConfiguration configuration) =>
        !string.Equals(configuration["WebIde:Dashboard"], "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>0 or nothing lets the orchestrator pick a free port (what tests want).</summary>
    private static int? Port(IConfigurationSection section, string key) =>
        int.TryParse(section[key], out var port) && port > 0 ? port : null;

    /// <summary>A folder of the data folder, both only the platform's user may enter (<see cref="PrivateFolder"/>).</summary>
    public string DataFolder(string name)
    {
        OwnerOnlyFiles.CreateFolder(DataDir);
        return OwnerOnlyFiles.CreateFolder(Path.Combine(DataDir, name));
    }

    /// <summary>The installation's secrets, under <c>secrets/</c> in the data folder.</summary>
    public InstallationSecrets Secrets() => new(DataFolder("secrets"));
}
