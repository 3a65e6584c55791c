using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using WebIde.Gateway.UnitTests.Routing;
using WebIde.ServiceDefaults.Authentication;
using WebIde.Tests.Shared;

namespace WebIde.Gateway.UnitTests.Authentication;

/// <summary>
/// One gateway, with the echo services behind it, a redis-server of its own for tickets and
/// revocations, and a signing key of the test's instead of identity's, for every test in this
/// namespace. Where there is no redis-server, every test here is ignored.
/// </summary>
[SetUpFixture]
public sealed class TicketGateway
{
    private static LocalRedis? _redis;
    private static EchoServices? _services;
    private static GatewayFactory? _gateway;
    private static ECDsa? _key;

    internal static GatewayFactory Gateway => _gateway ?? throw new IgnoreException("redis-server is not installed here.");

    /// <summary>Tickets in the gateway's Redis, as identity issues them.</summary>
    internal static SocketTickets Tickets => new((_redis ?? throw new IgnoreException("redis-server is not installed here.")).Connection);

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await LocalRedis.TryStartAsync();
        if (_redis is null)
        {
            return;
        }

        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingKey = new ECDsaSecurityKey(_key) { KeyId = "test" };
        _services = await EchoServices.StartAsync();
        _gateway = new GatewayFactory(
            _services.ServiceDiscoverySettings().Append(new("ConnectionStrings:redis", $"127.0.0.1:{_redis.Port}")),
            configureServices: services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                // The test's key instead of identity's key set, which the echo services cannot serve.
                var configuration = new OpenIdConnectConfiguration { Issuer = AuthenticationExtensions.Issuer };
                configuration.SigningKeys.Add(signingKey);
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }));
        await _gateway.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        _key?.Dispose();
    }

    /// <summary>An access token of a user, as identity would sign it.</summary>
    internal static string AccessToken()
    {
        var signingKey = new ECDsaSecurityKey(_key ?? throw new IgnoreException("redis-server is not installed here.")) { KeyId = "test" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthenticationExtensions.Issuer,
            Audience = AuthenticationExtensions.Audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["sid"] = Guid.NewGuid().ToString(), ["name"] = "ada" },
        });
    }
}
