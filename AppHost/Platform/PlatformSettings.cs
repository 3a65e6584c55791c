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
    TlsSettings? Tls = null,
    ServiceAccount? ServiceAccount = null,
    int Scale = 1)
{
    /// <summary>The most instances of each service <c>WebIde:Scale</c> may ask for: on one machine, more only share its cores.</summary>
    public const int MaxScale = 8;

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
        var scale = ScaleOf(section["Scale"]);

        return new PlatformSettings(
            mode,
            // Gateways that share their ports must all be told the same one: a free one is picked here, not by each.
            Port(section, "HttpPort") ?? (scale > 1 ? LoopbackPorts.Free() : null),
            Port(section, "GrpcPort") ?? (scale > 1 ? LoopbackPorts.Free() : null),
            dataDir,
            // Whose sandbox containers are whose: the data folder, unless a test boot shares its checkout's.
            section["Installation"] ?? dataDir,
            repositoryRoot,
            Path.GetFullPath(section["WebRoot"] ?? Path.Combine(repositoryRoot, "web", "dist")),
            section["RunnerImage"],
            string.IsNullOrEmpty(section["GatewayConfig"]) ? null : Path.GetFullPath(section["GatewayConfig"]!, appHostDirectory),
            TlsSettings.From(section.GetSection("Tls"), appHostDirectory),
            ServiceAccountOf(section["ServiceUser"]),
            scale);
    }

    /// <summary><c>WebIde:Scale</c> (<c>./webide up --scale N</c>): how many instances of each service and of the gateway run.</summary>
    private static int ScaleOf(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 1;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var scale) || scale is < 1 or > MaxScale)
        {
            throw new InvalidOperationException($"WebIde:Scale is '{text}'; it must be a whole number from 1 to {MaxScale}.");
        }
        return scale;
    }


    /// <summary>
    /// <c>WebIde:ServiceUser</c>: empty, the services run as the AppHost's own user; a user's name, they run as
    /// that user (<c>./webide up --production</c>), which only an AppHost running as root can do.
    /// </summary>
    private static ServiceAccount? ServiceAccountOf(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                $"WebIde:ServiceUser is '{name}', but only an AppHost that runs as root on Linux can start the services as another user. " +
                "Run it as root, or leave the setting empty: the services then run as the AppHost's own user.");
        }
        return ServiceAccount.Find(name, File.ReadLines(ServiceAccount.PasswdFile));
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

    /// <summary>
    /// A folder of the data folder, both only the platform's user may enter (<see cref="OwnerOnlyFiles"/>). With a
    /// services' user, that user may pass through the data folder itself (0710, the group its own) to what in it
    /// is handed to it (<see cref="HandToServices"/>), but not list it nor open anything else.
    /// </summary>
    public string DataFolder(string name)
    {
        OwnerOnlyFiles.CreateFolder(DataDir, ServiceAccount is null ? OwnerOnlyFiles.FolderMode : OwnerOnlyFiles.PassableFolderMode);
        return OwnerOnlyFiles.CreateFolder(Path.Combine(DataDir, name));
    }

    /// <summary>The folder of the data folder where a service keeps its own files, its database: the services' user's, with all in it.</summary>
    public string ServiceFolder(string name) => HandToServices(DataFolder(name));

    /// <summary>
    /// Hands <paramref name="path"/>, a file or folder under the data folder that a service opens, to the services'
    /// user when there is one (<c>WebIde:ServiceUser</c>): it becomes theirs, with everything under it, and each
    /// folder above it up to the data folder stays the platform's but lets the services' group through (0710).
    /// Owning a folder lets a user rename what is in it, so the services own only their own folders and files, never
    /// one that also holds the platform's (the data folder itself, <c>keys/</c>, <c>tls/</c> with its CA's key).
    /// Done at every start: a file an earlier start made as root is handed over too.
    /// </summary>
    public string HandToServices(string path)
    {
        if (ServiceAccount is not { } account)
        {
            return path;
        }
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(DataDir);
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{full} is not under the data folder {root}; only what is in it is handed to the services' user.", nameof(path));
        }

        account.Owner.Apply(full, recursive: Directory.Exists(full));
        LetServicesThrough(Path.GetDirectoryName(full)!);
        return path;
    }

    /// <summary>
    /// Lets the services' user, when there is one, pass through <paramref name="folder"/> (under the data folder)
    /// and each folder above it up to the data folder, to something in it that is theirs or open to their group
    /// (0710, the platform's own, the services' group): they can neither list these folders nor rename what is in them.
    /// </summary>
    public void LetServicesThrough(string folder)
    {
        if (ServiceAccount is not { } account)
        {
            return;
        }
        var root = Path.GetFullPath(DataDir);
        var passable = new FileOwner(Uid: 0, account.Gid);
        for (var current = Path.GetFullPath(folder); current.Length >= root.Length; current = Path.GetDirectoryName(current)!)
        {
            OwnerOnlyFiles.CreateFolder(current, OwnerOnlyFiles.PassableFolderMode);
            passable.Apply(current);
        }
    }

    /// <summary>The installation's secrets, under <c>secrets/</c> in the data folder.</summary>
    public InstallationSecrets Secrets() => new(DataFolder("secrets"));
}
