using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class ServiceGrpcClientExtensions
{
    /// <summary>A gRPC client of another service's gRPC endpoint, at <see cref="ServiceAddress.Grpc"/>.</summary>
    public static IHttpClientBuilder AddServiceGrpcClient<TClient>(this IServiceCollection services, string service)
        where TClient : class =>
        services.AddGrpcClient<TClient>((provider, client) => client.Address = ServiceAddress.Grpc(provider.GetRequiredService<IConfiguration>(), service));
}
