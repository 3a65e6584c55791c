using WebIde.Tests.Shared;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>What <c>./webide images</c> builds: <c>deploy/images/images.txt</c> (name, kind, source) at <c>deploy/images/VERSION</c>.</summary>
public static class PlatformImages
{
    private static readonly string Folder = Path.Combine(Checkout.Root, "deploy", "images");

    public static string Version { get; } = File.ReadAllText(Path.Combine(Folder, "VERSION")).Trim();

    private static readonly IReadOnlyList<string[]> Lines = File.ReadLines(Path.Combine(Folder, "images.txt"))
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.Split('\t'))
        .ToList();

    /// <summary>Image name → kind (<c>dotnet</c>, <c>debian</c>, <c>runner</c>).</summary>
    public static IReadOnlyDictionary<string, string> Kinds { get; } = Lines.ToDictionary(fields => fields[0], fields => fields[1]);

    /// <summary>Image name → source: a .NET service's project, a Debian image's packages, the runner's build script.</summary>
    public static IReadOnlyDictionary<string, string> Sources { get; } = Lines.ToDictionary(fields => fields[0], fields => fields[2]);

    /// <summary>A file under <c>deploy/images</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Folder, .. parts]);

    /// <summary>The image's name without registry or tag: <c>registry.example.com/webide/webide-identity:1.0</c> → <c>webide-identity</c>.</summary>
    public static string NameOf(string image) => image.Split('/')[^1].Split(':')[0];

    public static string? TagOf(string image) => image.Split('/')[^1].Split(':') is [_, var tag] ? tag : null;

    /// <summary>A .NET service of the platform (kind <c>dotnet</c>): it serves <c>/health</c> and <c>/alive</c>.</summary>
    public static bool IsDotnetService(string image) => Kinds.GetValueOrDefault(NameOf(image)) == "dotnet";
}
