using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Grpc.Core;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Contracts.Execution.V1;
using WebIde.Execution.Apis;
using WebIde.Execution.Grpc;
using WebIde.Execution.Languages;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Apis;

/// <summary>GET /api/languages and gRPC ListLanguages: the catalog's languages with the versions the runner image recorded.</summary>
public sealed class LanguageListingTests
{
    // What build.sh writes into the image; rust is left out to show a version the image does not name.
    private const string ImageVersions = """
        {
          "python": {"name": "Python", "version": "3.11.2", "versionText": "Python 3.11.2", "versionCommand": "python3 --version"},
          "javascript": {"name": "JavaScript (Node.js)", "version": "18.19.0"},
          "typescript": {"name": "TypeScript", "version": "4.9.5"},
          "c": {"name": "C (GCC)", "version": "12.2.0"},
          "cpp": {"name": "C++ (G++)", "version": "12.2.0"},
          "java": {"name": "Java (OpenJDK)", "version": "17.0.15"},
          "go": {"name": "Go", "version": "1.19.8"},
          "bash": {"name": "Bash", "version": "5.2.15"}
        }
        """;

    private LanguageListing _listing = null!;

    [SetUp]
    public void CreateListing()
    {
        var docker = Substitute.For<IDockerClient>();
        docker.Containers.CreateContainerAsync(Arg.Any<CreateContainerParameters>(), Arg.Any<CancellationToken>())
            .Returns(new CreateContainerResponse { ID = "unstarted" });
        docker.Containers.GetArchiveFromContainerAsync("unstarted", Arg.Is<GetArchiveFromContainerParameters>(parameters => parameters.Path == "/etc/webide/languages.json"), false, Arg.Any<CancellationToken>())
            .Returns(_ => new GetArchiveFromContainerResponse { Stream = Tar("languages.json", ImageVersions) });
        _listing = new LanguageListing(new LanguageCatalog(), new LanguageVersions(docker, Options.Create(new SandboxOptions { RunnerImage = "webide-runner:test" })));
    }

    [Test]
    public async Task ListsEveryCatalogLanguageWithItsImagesVersion()
    {
        var languages = await _listing.ListAsync(CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(languages.Select(language => language.Name), Is.EqualTo(new[] { "python", "javascript", "typescript", "c", "cpp", "java", "go", "rust", "bash" }));
            Assert.That(languages[0], Is.EqualTo(new LanguageResponse("python", "Python", "3.11.2", [".py"], "python", false, true)).Using<LanguageResponse>(SameListing));
            Assert.That(languages.Single(language => language.Name == "rust").Version, Is.EqualTo("unknown"));
            Assert.That(languages.Single(language => language.Name == "bash").EditorLanguage, Is.EqualTo("shell"));
            Assert.That(languages.Where(language => language.Compiled).Select(language => language.Name), Is.EqualTo(new[] { "typescript", "c", "cpp", "java", "go", "rust" }));
            Assert.That(languages.Where(language => !language.LanguageServer).Select(language => language.Name), Is.EqualTo(new[] { "java", "rust" }));
        }
    }

    [Test]
    public async Task TheRestBodyHasTheContractsFieldNames()
    {
        var languages = await _listing.ListAsync(CancellationToken.None);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(languages, JsonSerializerOptions.Web));
        var cpp = json.RootElement.EnumerateArray().Single(language => language.GetProperty("name").GetString() == "cpp");

        Assert.That(cpp.EnumerateObject().Select(property => property.Name),
            Is.EqualTo(new[] { "name", "displayName", "version", "extensions", "editorLanguage", "compiled", "languageServer" }));
        Assert.That(cpp.GetProperty("extensions").EnumerateArray().Select(extension => extension.GetString()), Is.EqualTo(new[] { ".cpp", ".cc", ".cxx" }));
    }

    [Test]
    public async Task GrpcListsTheSameLanguages()
    {
        var rest = await _listing.ListAsync(CancellationToken.None);
        var service = new ExecutionService(null!, null!, _listing);

        var grpc = await service.ListLanguages(new ListLanguagesRequest(), Substitute.For<ServerCallContext>());

        Assert.That(grpc.Languages.Select(language => new LanguageResponse(
                language.Name, language.DisplayName, language.Version, [.. language.Extensions], language.EditorLanguage, language.Compiled, language.LanguageServer)),
            Is.EqualTo(rest).Using<LanguageResponse>(SameListing));
    }

    private static bool SameListing(LanguageResponse one, LanguageResponse other) =>
        one with { Extensions = [] } == other with { Extensions = [] } && one.Extensions.SequenceEqual(other.Extensions);

    private static MemoryStream Tar(string name, string content)
    {
        var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }

        archive.Position = 0;
        return archive;
    }
}
