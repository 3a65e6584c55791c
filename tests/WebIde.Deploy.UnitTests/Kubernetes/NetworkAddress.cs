using System.Globalization;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>A host and port a container is configured to connect to, and the setting that says so.</summary>
public sealed record NetworkAddress(string Setting, string Host, int Port)
{
    /// <summary>
    /// The addresses in a container's settings: service discovery entries (<c>services__…</c>), connection strings
    /// (URIs with one host or several, or StackExchange.Redis's <c>host:port,…</c>) and the telemetry endpoint.
    /// </summary>
    public static IEnumerable<NetworkAddress> In(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (name.StartsWith("services__", StringComparison.Ordinal) || name == "OTEL_EXPORTER_OTLP_ENDPOINT")
            {
                var uri = new Uri(value);
                yield return new NetworkAddress(name, uri.Host, uri.Port);
            }
            else if (name.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            {
                foreach (var hostAndPort in Hosts(value))
                {
                    var (host, port) = hostAndPort.Split(':') is [var h, var p] ? (h, int.Parse(p, CultureInfo.InvariantCulture)) : throw new FormatException($"{name}: {hostAndPort} names no port");
                    yield return new NetworkAddress(name, host, port);
                }
            }
        }
    }

    /// <summary><c>scheme://user:password@a:1,b:2/path?query</c> → a:1, b:2; <c>a:1,password=…</c> → a:1.</summary>
    private static IEnumerable<string> Hosts(string connectionString)
    {
        var scheme = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return [connectionString.Split(',')[0]];
        }
        var authority = connectionString[(scheme + 3)..].Split('/', '?')[0];
        return authority[(authority.LastIndexOf('@') + 1)..].Split(',');
    }

    public override string ToString() => $"{Setting} → {Host}:{Port}";
}
