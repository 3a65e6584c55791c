using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using WebIde.ServiceDefaults.Tls;
using WebIde.Tests.Shared;
using WebIde.Tests.Shared.Tls;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// A deployment that puts Redis on TLS (<c>ssl=true</c> in the connection string) and names its internal CA
/// (<c>WebIde:Tls:CaFile</c>) gets a services' connection that works with that CA and with no other certificate.
/// </summary>
public sealed class RedisTlsTests : TwoAuthorities
{
    private LocalRedis _redis = null!;

    [OneTimeSetUp]
    public async Task StartRedisWithTlsAsync()
    {
        _redis = await LocalRedis.TryStartAsync(Authority.Server.CertificateFile, Authority.Server.KeyFile)
            ?? throw new IgnoreException("redis-server is not installed");
    }

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Test]
    public async Task WithTheInternalCaTheConnectionGoesOverTlsAndRoundTrips()
    {
        using var host = ServiceHost($"127.0.0.1:{_redis.TlsPort},ssl=true", Authority.AuthorityFile);

        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
        var key = $"tls-{Guid.NewGuid():N}";
        await redis.GetDatabase().StringSetAsync(key, "over tls");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)await redis.GetDatabase().StringGetAsync(key), Is.EqualTo("over tls"));
            Assert.That((string?)await _redis.Connection.GetDatabase().StringGetAsync(key), Is.EqualTo("over tls"), "the same server, read on its plain port");
        }
    }

    [Test]
    public void ACertificateOfAnotherCaIsRefused()
    {
        using var host = ServiceHost($"127.0.0.1:{_redis.TlsPort},ssl=true", Stranger.AuthorityFile);

        AssertRefusedForItsCertificate(host);
    }

    [Test]
    public void WithoutTheInternalCaTheMachinesTrustStoreDoesNotTrustIt()
    {
        using var host = ServiceHost($"127.0.0.1:{_redis.TlsPort},ssl=true", authorityFile: null);

        AssertRefusedForItsCertificate(host);
    }

    [Test]
    public void ACertificateForAnotherNameIsRefusedEvenFromTheInternalCa()
    {
        using var host = ServiceHost($"127.0.0.1:{_redis.TlsPort},ssl=true,sslHost=redis.elsewhere", Authority.AuthorityFile);

        AssertRefusedForItsCertificate(host);
    }

    [Test]
    public void AFileWithoutACertificateStopsTheStartNamingTheSetting()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration[InternalCertificateAuthority.Setting] = empty;

            Assert.That(() => builder.GetInternalCertificateAuthority(),
                Throws.InvalidOperationException.With.Message.Contains(InternalCertificateAuthority.Setting).And.Message.Contains(empty));
        }
        finally
        {
            File.Delete(empty);
        }
    }

    /// <summary>A service's host with the platform's Redis registration, as <c>AddPlatformServices</c> makes it.</summary>
    private static IHost ServiceHost(string connectionString, string? authorityFile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["ConnectionStrings:redis"] = $"{connectionString},connectTimeout=3000,abortConnect=true";
        if (authorityFile is not null)
        {
            builder.Configuration[InternalCertificateAuthority.Setting] = authorityFile;
        }
        builder.AddPlatformRedis();
        return builder.Build();
    }

    private static void AssertRefusedForItsCertificate(IHost host)
    {
        var refusal = Assert.Throws<RedisConnectionException>(() => host.Services.GetRequiredService<IConnectionMultiplexer>());
        Assert.That(refusal!.FailureType, Is.EqualTo(ConnectionFailureType.AuthenticationFailure), refusal.ToString());
    }
}
