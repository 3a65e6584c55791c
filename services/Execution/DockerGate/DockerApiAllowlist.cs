using System.Text.RegularExpressions;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// The calls the execution service makes (every <c>IDockerClient</c> call under Sandbox/), by
/// method and path, and nothing else: no exec, no image pull or build, no volumes, networks,
/// system info or events. A container is named only by its full id, as execution names them,
/// so a verdict about an id holds for good. Paths are matched as sent (the raw target), with an
/// optional <c>/v1.NN</c> prefix from 1.24 on: older versions took a host config on start.
/// </summary>
public static partial class DockerApiAllowlist
{
    private const string Version = "(?:/v1\\.(?:2[4-9]|[3-9][0-9]))?";
    private const string Container = "/containers/(?<id>[0-9a-f]{64})";

    public static DockerCall? Match(string method, string rawTarget)
    {
        // A semicolon splits a query differently in Go than here; nothing execution sends has one.
        if (rawTarget.Contains(';', StringComparison.Ordinal) || rawTarget.Contains('#', StringComparison.Ordinal))
        {
            return null;
        }
        var path = rawTarget.Split('?', 2)[0];
        return method switch
        {
            "GET" or "HEAD" when Ping().IsMatch(path) => new DockerCall(DockerCallKind.Ping),
            "GET" when ImageInspect().Match(path) is { Success: true } image => new DockerCall(DockerCallKind.ImageInspect, Image: Uri.UnescapeDataString(image.Groups["name"].Value)),
            "GET" when ContainerList().IsMatch(path) => new DockerCall(DockerCallKind.ContainerList),
            "POST" when ContainerCreate().IsMatch(path) => new DockerCall(DockerCallKind.ContainerCreate),
            "GET" when Named(ContainerInspect(), path) is { } id => new DockerCall(DockerCallKind.ContainerInspect, id),
            "POST" when Named(ContainerAttach(), path) is { } id => new DockerCall(DockerCallKind.ContainerAttach, id),
            "POST" when Named(ContainerStart(), path) is { } id => new DockerCall(DockerCallKind.ContainerStart, id),
            "GET" when Named(ContainerArchive(), path) is { } id => new DockerCall(DockerCallKind.ContainerArchive, id),
            "DELETE" when Named(ContainerRemove(), path) is { } id => new DockerCall(DockerCallKind.ContainerRemove, id),
            _ => null,
        };
    }

    /// <summary>Whether the request line is an attach, which the gate must take over before HTTP parsing does.</summary>
    public static bool IsAttach(string method, string rawTarget) =>
        Match(method, rawTarget) is { Kind: DockerCallKind.ContainerAttach };

    private static string? Named(Regex pattern, string path) =>
        pattern.Match(path) is { Success: true } match ? match.Groups["id"].Value : null;

    [GeneratedRegex("^" + Version + "/_ping\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ping();

    [GeneratedRegex("^" + Version + "/images/(?<name>[A-Za-z0-9._:@/%-]+)/json\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ImageInspect();

    [GeneratedRegex("^" + Version + "/containers/json\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerList();

    [GeneratedRegex("^" + Version + "/containers/create\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerCreate();

    [GeneratedRegex("^" + Version + Container + "/json\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerInspect();

    [GeneratedRegex("^" + Version + Container + "/attach\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerAttach();

    [GeneratedRegex("^" + Version + Container + "/start\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerStart();

    [GeneratedRegex("^" + Version + Container + "/archive\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerArchive();

    [GeneratedRegex("^" + Version + Container + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerRemove();
}
