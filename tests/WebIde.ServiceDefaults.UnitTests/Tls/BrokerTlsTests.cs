using System.Net.Security;
using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;
using Microsoft.Extensions.Hosting;
using WebIde.ServiceDefaults.Tls;
using WebIde.Tests.Shared.Tls;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// A deployment that puts RabbitMQ on TLS gives the services an <c>amqps://</c> URI: the bus then connects over TLS to
/// the URI's host name, checking the broker against the internal CA. (Shown on MassTransit's host settings, which
/// become the RabbitMQ client's; a broker with a TLS listener is too heavy a process for a unit test.)
/// </summary>
public sealed class BrokerTlsTests : TwoAuthorities
{
    [Test]
    public void AnAmqpsUriGoesOverTlsToItsHostOnPort5671()
    {
        var settings = Configure("amqps://filesystem:secret@broker.internal/", authority: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Ssl, Is.True);
            Assert.That(settings.SslServerName, Is.EqualTo("broker.internal"));
            Assert.That(settings.Port, Is.EqualTo(5671));
            Assert.That(settings.Username, Is.EqualTo("filesystem"));
            Assert.That(settings.CertificateValidationCallback, Is.Null, "without an internal CA, the machine's trust store decides");
            Assert.That(settings.AcceptablePolicyErrors, Is.EqualTo(SslPolicyErrors.None), "a broker of an unknown CA, or for another name, is refused");
        }
    }

    [Test]
    public void AnAmqpUriOnPort5671IsCheckedAsStrictly()
    {
        var settings = Configure("amqp://filesystem:secret@broker.internal:5671/", authority: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Ssl, Is.True);
            Assert.That(settings.AcceptablePolicyErrors, Is.EqualTo(SslPolicyErrors.None));
        }
    }

    [Test]
    public void AnAmqpUriStaysPlainText()
    {
        var settings = Configure("amqp://filesystem:secret@127.0.0.1:5672/", InternalCertificateAuthority.Load(Authority.AuthorityFile));

        Assert.That(settings.Ssl, Is.False);
    }

    [Test]
    public void TheBrokerIsCheckedAgainstTheInternalCaAlone()
    {
        var settings = Configure("amqps://filesystem:secret@localhost:5671/", InternalCertificateAuthority.Load(Authority.AuthorityFile));
        using var ours = Authority.Server.Load();
        using var theirs = Stranger.Server.Load();
        var validate = settings.CertificateValidationCallback!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(validate(this, ours, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.True, "signed by the internal CA");
            Assert.That(validate(this, theirs, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.False, "signed by another CA");
            Assert.That(validate(this, ours, null, SslPolicyErrors.RemoteCertificateNameMismatch), Is.False, "for another name");
            Assert.That(validate(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable), Is.False, "no certificate");
        }
    }

    private static RabbitMqHostSettings Configure(string uri, InternalCertificateAuthority? authority)
    {
        var address = new Uri(uri);
        var host = new RabbitMqHostConfigurator(address);
        MessagingExtensions.ConfigureTls(host, address, authority);
        return host.Settings;
    }
}
