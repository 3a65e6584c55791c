using System.Security.Cryptography;
using System.Text;
using WebIde.AppHost.Infrastructure;

namespace WebIde.AppHost.UnitTests;

/// <summary>The hashes the local RabbitMQ's definitions file carries must be ones the broker accepts.</summary>
public sealed class RabbitMqPasswordHashTests
{
    [Test]
    public void MatchesRabbitMqsOwnDocumentedExample()
    {
        // RabbitMQ's documentation ("Credentials and Passwords"): "test12" with the salt 0x908DC60A.
        var hash = RabbitMqPasswordHash.Compute("test12", [0x90, 0x8D, 0xC6, 0x0A]);

        Assert.That(hash, Is.EqualTo("kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"));
    }

    [Test]
    public void IsAFreshSaltThenTheSha256OfSaltAndUtf8Password()
    {
        const string password = "héllo wörld";

        var first = Convert.FromBase64String(RabbitMqPasswordHash.Compute(password));
        var second = Convert.FromBase64String(RabbitMqPasswordHash.Compute(password));

        Assert.Multiple(() =>
        {
            Assert.That(first, Has.Length.EqualTo(4 + 32));
            Assert.That(first[4..], Is.EqualTo(SHA256.HashData([.. first[..4], .. Encoding.UTF8.GetBytes(password)])));
            Assert.That(first[..4], Is.Not.EqualTo(second[..4]), "each hash gets a salt of its own");
        });
    }
}
