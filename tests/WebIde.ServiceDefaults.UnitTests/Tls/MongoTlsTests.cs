using System.Net.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;
using WebIde.ServiceDefaults.Tls;
using WebIde.Tests.Shared.Tls;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// A deployment that puts MongoDB on TLS (<c>tls=true</c> in the store's URL) gets a client that checks the server
/// against the internal CA: the .NET driver reads no CA file from the URL. (Shown on the client's settings: no
/// <c>mongod</c> here to connect to.)
/// </summary>
public sealed class MongoTlsTests : TwoAuthorities
{
    [Test]
    public async Task WithTlsInTheUrlTheServerIsCheckedAgainstTheInternalCaAlone()
    {
        await using var services = Store("mongodb://identity:secret@127.0.0.1:27017/identity?tls=true&authSource=admin", Authority.AuthorityFile);
        var settings = services.GetRequiredService<IMongoClient>().Settings;
        using var ours = Authority.Server.Load();
        using var theirs = Stranger.Server.Load();
        var validate = settings.SslSettings?.ServerCertificateValidationCallback;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.UseTls, Is.True);
            Assert.That(settings.AllowInsecureTls, Is.False);
            Assert.That(validate, Is.Not.Null);
            Assert.That(validate?.Invoke(this, ours, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.True, "signed by the internal CA");
            Assert.That(validate?.Invoke(this, theirs, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.False, "signed by another CA");
        }
    }

    [Test]
    public async Task WithoutTlsInTheUrlNothingChanges()
    {
        await using var services = Store("mongodb://identity:secret@127.0.0.1:27017/identity", Authority.AuthorityFile);
        var settings = services.GetRequiredService<IMongoClient>().Settings;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.UseTls, Is.False);
            Assert.That(settings.SslSettings?.ServerCertificateValidationCallback, Is.Null);
        }
    }

    private static ServiceProvider Store(string url, string authorityFile)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "identity" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = url,
            [InternalCertificateAuthority.Setting] = authorityFile,
        });
        builder.Services.AddLogging();
        builder.AddStore();
        return builder.Services.BuildServiceProvider();
    }
}
