using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using WebIde.Identity.Accounts;
using WebIde.Identity.Apis;
using WebIde.Identity.Grpc;
using WebIde.Identity.Outbox;
using WebIde.Identity.Storage;
using WebIde.Identity.Tokens;
using WebIde.Identity.Workspaces;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.OpenApi;

namespace WebIde.Identity;

public static class Extensions
{
    /// <summary>The OpenAPI document's name: it is served at <c>/openapi/identity.json</c> (docs/api.md §0).</summary>
    public const string ApiDocument = "identity";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices(bus => bus.AddConsumer<MembershipChangedConsumer>());
        builder.AddIdentityStorage();
        builder.Services.AddScoped<IRoleCache, RoleCache>();
        builder.Services.AddGrpc();
        builder.Services.AddApiDocument(ApiDocument, "WebIde identity API", "Accounts, sessions and workspaces: docs/api.md §1 and §2.");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<TokenOptions>()
            .Bind(builder.Configuration.GetSection(TokenOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WorkspaceLimits>()
            .Bind(builder.Configuration.GetSection(WorkspaceLimits.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ServiceClientOptions>()
            .Configure(options => builder.Configuration.GetSection(ServiceClientOptions.Section).Bind(options.Secrets));
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddHostedService<SigningKeyRotation>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<PasswordWork>();
        builder.Services.AddSingleton<PasswordVerifier>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<SessionService>();
        builder.Services.AddSingleton<SocketTickets>();

        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.Section));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxIntentCheck>();
        builder.Services.AddHostedService<OutboxDispatcher>();

        // Identity verifies its own tokens with the key ring it signs with, not over HTTP.
        builder.AddDefaultAuthentication(configure: _ => { });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRing>((options, ring) =>
                options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, keyId, _) => ring.CurrentVerificationKeys(keyId));

        // The gateway is the client's only peer; the address it saw is the one rate limits count. It replaces
        // X-Forwarded-For with the one client it concluded (a trusted proxy's, or the peer's: never what a client
        // wrote), and only that last entry, from a loopback peer (ASP.NET Core's default), is read here. The scheme
        // and host it was reached at are the ones the refresh token cookie is for.
        builder.Services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost);
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.MapDefaultEndpoints();
        app.MapApiDocument();
        app.MapAuthApi();
        app.MapServiceTokenApi();
        app.MapWorkspacesApi();
        app.MapGrpcService<AuthorizationService>();
        return app;
    }
}
