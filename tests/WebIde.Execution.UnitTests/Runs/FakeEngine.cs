using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using NSubstitute;

namespace WebIde.Execution.UnitTests.Runs;

/// <summary>A Docker engine that knows only what a run asks of it before its sandbox: the runner image's language versions.</summary>
public static class FakeEngine
{
    /// <summary>An engine whose runner image records the toolchain versions, as the image build does.</summary>
    public static IDockerClient WithLanguageVersions()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "languages.json")
            {
                DataStream = new MemoryStream("""{"python":{"version":"3.11.2"}}"""u8.ToArray()),
            });
        }
        tar.Position = 0;
        var docker = Substitute.For<IDockerClient>();
        docker.Containers.CreateContainerAsync(Arg.Any<CreateContainerParameters>(), Arg.Any<CancellationToken>())
            .Returns(new CreateContainerResponse { ID = "versions" });
        docker.Containers.GetArchiveFromContainerAsync("versions", Arg.Any<GetArchiveFromContainerParameters>(), false, Arg.Any<CancellationToken>())
            .Returns(new GetArchiveFromContainerResponse { Stream = tar });
        return docker;
    }
}
