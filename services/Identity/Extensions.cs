using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using WebIde.Identity.Accounts;
using WebIde.Identity.Storage;
using WebIde.Identity.Tokens;
using WebIde.Identity.Workspaces;

namespace WebIde.Identity;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformServices(bus => bus.AddConsumer<MembershipChangedConsumer>());
        builder.AddIdentityStorage();
        builder.Services.AddScoped<IRoleCache, RoleCache>();
        builder.Services.AddGrpc();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<TokenOptions>()
            .Bind(builder.Configuration.GetSection(TokenOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ServiceClientOptions>()
            .Configure(options => builder.Configuration.GetSection(ServiceClientOptions.Section).Bind(options.Secrets));
        builder.Services.AddSingleton<SigningKeyRing>();
        builder.Services.AddHostedService<SigningKeyRotation>();
        builder.Services.AddSingleton<AccessTokenIssuer>();
        builder.Services.AddSingleton<PasswordVerifier>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<SessionService>();

        // Identity verifies its own tokens with the key ring it signs with, not over HTTP.
        builder.AddDefaultAuthentication(configure: _ => { });
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyRing>((options, ring) =>
                options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, keyId, _) => ring.CurrentVerificationKeys(keyId));

        // The gateway is the client's only peer; the address it saw is the one rate limits count.
        builder.Services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
    }
}
