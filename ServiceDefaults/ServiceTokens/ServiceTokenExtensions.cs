using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace WebIde.ServiceDefaults.ServiceTokens;

public static class ServiceTokenExtensions
{
    /// <summary>Registers the token client when the AppHost gave this service credentials.</summary>
    public static IHostApplicationBuilder AddServiceTokens(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ServiceClientCredentials.Section);
        if (!section.Exists())
        {
            return builder;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<ServiceClientCredentials>(section);
        builder.Services.AddHttpClient(ServiceTokenClient.HttpClientName, client => client.BaseAddress = ServiceAddress.Http("identity"));
        builder.Services.AddSingleton<ServiceTokenClient>();
        builder.Services.AddTransient<ServiceTokenHandler>();
        return builder;
    }

    /// <summary>Calls through this client (a gRPC client of another service, say) authenticate as this service.</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client) =>
        client.AddHttpMessageHandler<ServiceTokenHandler>();
}
