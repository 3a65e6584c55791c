using System.Text.Json;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>
/// The user a platform image runs as and the ports it listens on, read where <c>deploy/images/build.sh</c> takes
/// them: <c>contract.conf</c> (the users, the services' ports), a service's <c>appsettings.json</c> (which Kestrel
/// endpoints it has) and a Debian image's <c>image.conf</c> (<c>PORTS</c>). Nothing here is a copy of a value.
/// </summary>
public static class ImageContract
{
    private static readonly IReadOnlyDictionary<string, string> Contract = ShellAssignments(PlatformImages.PathOf("contract.conf"));

    /// <summary>The uid (and gid) the image runs as; null for an image no pod runs (the runner).</summary>
    public static long? UserOf(string image) => PlatformImages.Kinds.GetValueOrDefault(PlatformImages.NameOf(image)) switch
    {
        "dotnet" => long.Parse(Contract["SERVICE_UID"], System.Globalization.CultureInfo.InvariantCulture),
        "debian" => long.Parse(Contract["DAEMON_UID"], System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The TCP ports the image exposes, as build.sh writes its EXPOSE.</summary>
    public static IReadOnlySet<int> PortsOf(string image)
    {
        var name = PlatformImages.NameOf(image);
        var words = PlatformImages.Kinds.GetValueOrDefault(name) switch
        {
            "dotnet" => ServicePorts(PlatformImages.Sources[name]),
            "debian" => ShellAssignments(PlatformImages.PathOf(name, "image.conf"))["PORTS"].Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        };
        return words.Select(word => int.Parse(word, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
    }

    /// <summary>build.sh's kestrel_endpoints: HTTP_PORT always (named "http", or ASPNETCORE_URLS), GRPC_PORT for a "grpc" endpoint.</summary>
    private static string[] ServicePorts(string project)
    {
        var settings = Path.Combine(Tests.Shared.Checkout.Root, Path.GetDirectoryName(project)!, "appsettings.json");
        if (!File.Exists(settings))
        {
            return [Contract["HTTP_PORT"]];
        }
        using var json = JsonDocument.Parse(File.ReadAllText(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var hasGrpc = json.RootElement.TryGetProperty("Kestrel", out var kestrel)
            && kestrel.TryGetProperty("Endpoints", out var endpoints)
            && endpoints.TryGetProperty("grpc", out _);
        return hasGrpc ? [Contract["HTTP_PORT"], Contract["GRPC_PORT"]] : [Contract["HTTP_PORT"]];
    }

    /// <summary>NAME=value lines of a file build.sh sources (a value may be in double quotes); comments skipped.</summary>
    private static Dictionary<string, string> ShellAssignments(string file) =>
        File.ReadLines(file)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"'));
}
