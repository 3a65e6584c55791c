using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebIde.Identity.Tokens;

namespace WebIde.Identity.UnitTests.Tokens;

/// <summary>The options validated as identity validates them (data annotations).</summary>
public sealed class TokenOptionsTests
{
    private static TokenOptions Resolve(TimeSpan accessTokenLifetime)
    {
        var services = new ServiceCollection();
        services.AddOptions<TokenOptions>()
            .Configure(options => options.AccessTokenLifetime = accessTokenLifetime)
            .ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TokenOptions>>().Value;
    }

    [Test]
    public void TheDefaultLifetimeIsTheContractsMaximum()
    {
        Assert.That(new TokenOptions().AccessTokenLifetime, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(Resolve(new TokenOptions().AccessTokenLifetime).AccessTokenLifetime, Is.EqualTo(TimeSpan.FromMinutes(15)));
    }

    [TestCase("00:15:00")]
    [TestCase("00:05:00")]
    [TestCase("00:00:30")]
    public void ALifetimeUpToFifteenMinutesIsAccepted(string lifetime)
    {
        Assert.That(Resolve(TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture)).AccessTokenLifetime,
            Is.EqualTo(TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("00:15:01")]
    [TestCase("01:00:00")]
    [TestCase("1.00:00:00")]
    [TestCase("00:00:00")]
    public void ALifetimeOutsideTheContractIsRefused(string lifetime)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Resolve(TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.That(failure.Message, Does.Contain(nameof(TokenOptions.AccessTokenLifetime)));
    }
}
