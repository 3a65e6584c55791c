using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebIde.ServiceDefaults.Authentication;

namespace Microsoft.Extensions.Hosting;

public static class AuthenticationExtensions
{
    public const string Audience = "webide";
    public const string Issuer = "webide";

    /// <summary>Tokens outlive their expiry by this much at most, so clocks a little apart still agree.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bearer tokens verified from identity's published keys (fetched once, cached, fetched
    /// again when a token names a key not yet seen); no service holds a secret. A token of a
    /// revoked session is refused. Browsers cannot set headers on WebSockets, so <c>/ws/</c>
    /// requests may carry the token as the <c>access_token</c> query parameter instead.
    /// </summary>
    /// <param name="configure">Identity itself verifies with its own key ring instead of fetching it.</param>
    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder, Action<JwtBearerOptions>? configure = null)
    {
        var identityUrl = builder.Configuration.GetServiceUrl("identity");
        var authority = builder.GetInternalCertificateAuthority();
        if (identityUrl is null && configure is null)
        {
            throw new InvalidOperationException("The identity service's URL is missing: the AppHost passes it with WithReference(identity).");
        }

        builder.Services.AddSingleton<SessionRevocations>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SessionRevocations>());

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                if (identityUrl is not null)
                {
                    options.Authority = identityUrl;
                    options.RequireHttpsMetadata = !identityUrl.StartsWith("http://", StringComparison.Ordinal);
                    // A rotated key is published ahead of use; this only bounds how stale a cache gets.
                    options.AutomaticRefreshInterval = TimeSpan.FromHours(1);
                    options.RefreshInterval = TimeSpan.FromSeconds(10);
                    // The keys are fetched by a client of the handler's own, not the HTTP client factory's.
                    if (authority is not null)
                    {
                        var backchannel = new SocketsHttpHandler();
                        authority.Trust(backchannel);
                        options.BackchannelHttpHandler = backchannel;
                    }
                }
                options.Audience = Audience;
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidIssuer = Issuer;
                options.TokenValidationParameters.ValidAlgorithms = ["ES256"];
                options.TokenValidationParameters.ClockSkew = ClockSkew;
                options.TokenValidationParameters.NameClaimType = "name";
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
                    OnTokenValidated = async context =>
                    {
                        var sessionId = context.Principal?.FindFirst("sid")?.Value;
                        var revocations = context.HttpContext.RequestServices.GetRequiredService<SessionRevocations>();
                        if (sessionId is not null && await revocations.IsRevokedAsync(sessionId))
                        {
                            context.Fail("The session has ended.");
                        }
                    },
                };
                configure?.Invoke(options);
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>The first URL Aspire's service discovery configuration holds for a service, HTTPS when it holds one.</summary>
    public static string? GetServiceUrl(this IConfiguration configuration, string service) =>
        configuration[$"services:{service}:https:0"] ?? configuration[$"services:{service}:http:0"];
}
