using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where one service reaches another, by the name the AppHost (or a deployment's service discovery entries) gives it:
/// over HTTPS when the service lists an HTTPS endpoint (a deployment that asks for TLS between services,
/// docs/platform.md "TLS inside a deployment"), else over plain HTTP (the local platform, on loopback).
/// </summary>
public static class ServiceAddress
{
    /// <summary>The service's HTTP API: <c>https+http://identity</c>, which service discovery resolves to the HTTPS entry when there is one.</summary>
    public static Uri Http(string service) => new($"https+http://{service}");

    /// <summary>
    /// The service's HTTP/2-only gRPC endpoint (named <c>grpc</c>): <c>https://_grpc.identity</c> when its discovery
    /// entries are HTTPS, else <c>http://_grpc.identity</c>. A gRPC channel takes no <c>https+http</c> (it looks for
    /// a resolver of that name), so the scheme is chosen here, from the same entries service discovery reads.
    /// </summary>
    public static Uri Grpc(IConfiguration configuration, string service)
    {
        var secure = configuration.GetSection($"services:{service}:grpc").GetChildren()
            .Any(entry => entry.Value?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true);
        return new Uri($"{(secure ? "https" : "http")}://_grpc.{service}");
    }
}
