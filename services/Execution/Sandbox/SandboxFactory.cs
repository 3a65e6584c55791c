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

    private static readonly string AgentSource = ReadAgentSource();

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
                NanoCPUs = (long)(settings.Cpus * 1_000_000_000),
                PidsLimit = settings.PidsLimit,
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                IpcMode = "private",
                ShmSize = 8L << 20,
                Tmpfs = new Dictionary<string, string>
                {
                    [ScratchPath] = $"rw,exec,nosuid,nodev,size={scratch},uid=10000,gid=10000,mode=0700",
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

    private static string ReadAgentSource()
    {
        using var resource = typeof(SandboxFactory).Assembly.GetManifestResourceStream("WebIde.Execution.Sandbox.agent.py")
            ?? throw new InvalidOperationException("the sandbox agent is not embedded in the assembly");
        using var reader = new StreamReader(resource);
        return reader.ReadToEnd();
    }
}
