using System.Formats.Tar;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// The toolchain versions of the runner image, as its build recorded them in
/// /etc/webide/languages.json; read once, from an unstarted container.
/// </summary>
public sealed class LanguageVersions(IDockerClient docker, IOptions<SandboxOptions> options)
{
    /// <summary>The version of a language the image does not name.</summary>
    public const string Unknown = "unknown";

    private const string VersionsFile = "/etc/webide/languages.json";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private IReadOnlyDictionary<string, string>? _versions;

    public async Task<string> OfAsync(string language, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).GetValueOrDefault(language, Unknown);

    public async Task<IReadOnlyDictionary<string, string>> AllAsync(CancellationToken cancellationToken)
    {
        if (_versions is { } known)
        {
            return known;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _versions ??= await ReadFromImageAsync(cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadFromImageAsync(CancellationToken cancellationToken)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = options.Value.RunnerImage,
            Labels = new Dictionary<string, string>(SandboxLabels.Owned(options.Value.Installation)) { [SandboxLabels.Expires] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
            // Never started, yet made as locked down as a sandbox: the Docker gate creates no container that is not.
            User = SandboxFactory.RunnerUser,
            NetworkDisabled = true,
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                LogConfig = new LogConfig { Type = "none" },
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
            },
        }, cancellationToken);
        try
        {
            var archive = await docker.Containers.GetArchiveFromContainerAsync(created.ID, new GetArchiveFromContainerParameters { Path = VersionsFile }, statOnly: false, cancellationToken);
            await using var tar = new TarReader(archive.Stream);
            var entry = await tar.GetNextEntryAsync(copyData: true, cancellationToken)
                ?? throw new InvalidOperationException($"{VersionsFile} is empty in {options.Value.RunnerImage}");
            using var document = await JsonDocument.ParseAsync(entry.DataStream!, cancellationToken: cancellationToken);
            return document.RootElement.EnumerateObject().ToDictionary(
                language => language.Name,
                language => language.Value.GetProperty("version").GetString() ?? Unknown,
                StringComparer.Ordinal);
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }
}
