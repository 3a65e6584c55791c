using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// Creates and starts locked-down sandbox containers whose PID 1 is the agent, attached before
/// start so nothing it says is missed.
/// </summary>
public sealed class SandboxFactory(IDockerClient docker, IOptions<SandboxOptions> options, SandboxMetrics metrics, TimeProvider time, ILogger<SandboxFactory> logger)
{
    public const string RunnerUser = "10000:10000";
    public const string ScratchPath = "/sandbox";

    private static readonly string AgentSource = ReadResource("agent.py");

    /// <summary>
    /// The containers' seccomp profile (sandbox-seccomp.json): an allowlist of what the agent, bubblewrap
    /// and the languages call, Docker's default left aside. The engine takes the profile itself, not a path.
    /// </summary>
    internal static readonly string SeccompProfile = ReadResource("sandbox-seccomp.json");

    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public async Task<SandboxContainer> StartAsync(SandboxShape shape, IReadOnlyDictionary<string, string> labels, TimeSpan maxLifetime, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = Stopwatch.GetTimestamp();
        var allLabels = new Dictionary<string, string>(labels.Concat(SandboxLabels.Owned(settings.Installation)))
        {
            [SandboxLabels.Instance] = InstanceId,
            [SandboxLabels.Expires] = time.GetUtcNow().Add(maxLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        var scratch = shape.ScratchBytes(settings.ScratchBytes);

        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"webide-sandbox-{Guid.NewGuid():N}",
            Image = settings.RunnerImage,
            User = RunnerUser,
            Hostname = "sandbox",
            WorkingDir = ScratchPath,
            Entrypoint = ["python3", "-I", "-S", "-c", AgentSource],
            Cmd = [],
            Env = ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"],
            Labels = allLabels,
            OpenStdin = true,
            StdinOnce = true,
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            Tty = false,
            NetworkDisabled = true,
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                // Output reaches the service over the attach stream; the engine need not keep a
                // copy on disk (100 MB of a flood, and what a program printed, after its run).
                LogConfig = new LogConfig { Type = "none" },
                Memory = shape.MemoryBytes,
                MemorySwap = shape.MemoryBytes,
                NanoCPUs = (long)((shape.Cpus ?? settings.Cpus) * 1_000_000_000),
                PidsLimit = settings.PidsLimit,
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                // Each step runs in a jail of its own (bubblewrap, see agent.py): the profile lets it create
                // namespaces and mounts inside its user namespace, which Docker's default refuses without
                // CAP_SYS_ADMIN; the jail's own filter takes that away from the program again.
                SecurityOpt = ["no-new-privileges", $"seccomp={SeccompProfile}"],
                // No masked or read-only paths in /proc: the kernel refuses the jail a /proc of its own while a
                // procfs it can see is partly covered. The jail masks the same paths again inside (agent.py).
                // Empty, not null: null means Docker's defaults.
                MaskedPaths = [],
                ReadonlyPaths = [],
                IpcMode = "private",
                ShmSize = 8L << 20,
                Tmpfs = new Dictionary<string, string>
                {
                    [ScratchPath] = $"rw,exec,nosuid,nodev,size={scratch},nr_inodes={shape.ScratchInodes(settings.ScratchBytes)},uid=10000,gid=10000,mode=0700",
                },
                Ulimits =
                [
                    new Ulimit { Name = "fsize", Soft = scratch, Hard = scratch },
                    new Ulimit { Name = "nofile", Soft = settings.OpenFilesLimit, Hard = settings.OpenFilesLimit },
                    new Ulimit { Name = "core", Soft = 0, Hard = 0 },
                ],
            },
        }, cancellationToken);

        try
        {
            var stream = await docker.Containers.AttachContainerAsync(created.ID, tty: false, new ContainerAttachParameters
            {
                Stream = true,
                Stdin = true,
                Stdout = true,
                Stderr = true,
            }, cancellationToken);
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            metrics.ContainerStarted(Stopwatch.GetElapsedTime(started));
            return new SandboxContainer(docker, created.ID, stream, shape.MemoryBytes, time.GetUtcNow(), logger);
        }
        catch
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            throw;
        }
    }

    private static string ReadResource(string name)
    {
        using var resource = typeof(SandboxFactory).Assembly.GetManifestResourceStream($"WebIde.Execution.Sandbox.{name}")
            ?? throw new InvalidOperationException($"the sandbox's {name} is not embedded in the assembly");
        using var reader = new StreamReader(resource);
        return reader.ReadToEnd();
    }
}
