using WebIde.Tests.Shared;

namespace WebIde.DeploymentTests;

/// <summary>One line of <c>deploy/images/images.txt</c>: an image <c>./webide images</c> builds.</summary>
public sealed record PlatformImage(string Name, string Kind, string Source, string Version)
{
    public string Tag => $"{Name}:{Version}";

    public bool IsDotnetService => Kind == "dotnet";

    public override string ToString() => Tag;

    /// <summary>Every image listed, at the version of <c>deploy/images/VERSION</c>: the one place both are written.</summary>
    public static IReadOnlyList<PlatformImage> Listed()
    {
        var folder = Path.Combine(Checkout.Root, "deploy", "images");
        var version = File.ReadAllText(Path.Combine(folder, "VERSION")).Trim();
        return [.. File.ReadLines(Path.Combine(folder, "images.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => new PlatformImage(fields[0], fields[1], fields[2], version))];
    }
}
