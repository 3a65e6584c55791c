namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where one service reaches another, by the name the AppHost (or a deployment's service discovery entries) gives it.
/// <c>https+http</c>: over HTTPS when the service lists an HTTPS endpoint (a deployment that asks for TLS between
/// services, docs/platform.md "TLS inside a deployment"), else over plain HTTP (the local platform, on loopback).
/// </summary>
public static class ServiceAddress
{
    private const string Scheme = "https+http";

    /// <summary>The service's HTTP API: <c>https+http://identity</c>.</summary>
    public static Uri Http(string service) => new($"{Scheme}://{service}");

    /// <summary>The service's HTTP/2-only gRPC endpoint (named <c>grpc</c>): <c>https+http://_grpc.identity</c>.</summary>
    public static Uri Grpc(string service) => new($"{Scheme}://_grpc.{service}");
}
