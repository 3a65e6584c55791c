using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class AuthenticationExtensions
{
    public const string Audience = "webide";

    /// <summary>
    /// Bearer tokens verified from identity's published keys; no service holds a secret.
    /// Browsers cannot set headers on WebSockets, so <c>/ws/</c> requests may carry the
    /// token as the <c>access_token</c> query parameter instead.
    /// </summary>
    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder)
    {
        var identityUrl = builder.Configuration.GetServiceUrl("identity")
            ?? throw new InvalidOperationException("The identity service's URL is missing: the AppHost passes it with WithReference(identity).");

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.Authority = identityUrl;
                options.RequireHttpsMetadata = !identityUrl.StartsWith("http://", StringComparison.Ordinal);
                options.Audience = Audience;
                options.MapInboundClaims = false;
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path.StartsWithSegments("/ws") && context.Request.Query.TryGetValue("access_token", out var token))
                        {
                            context.Token = token;
                        }
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>The first URL Aspire's service discovery configuration holds for a service.</summary>
    public static string? GetServiceUrl(this IConfiguration configuration, string service) =>
        configuration[$"services:{service}:http:0"] ?? configuration[$"services:{service}:https:0"];
}
