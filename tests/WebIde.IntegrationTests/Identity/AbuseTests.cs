using System.Net;

namespace WebIde.IntegrationTests.Identity;

/// <summary>docs/api.md §1: the limits against guessing and racing.</summary>
public sealed class AbuseTests
{
    [Test]
    public async Task TheEleventhFailedLoginInAMinuteIs429WithRetryAfter()
    {
        using var client = Platform.CreateGatewayClient();
        var (username, _) = await Accounts.SignedInUserAsync(client, "target");

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var failed = await Accounts.LoginAsync(client, username, $"guess number {attempt}");
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {attempt}");
        }

        using var eleventh = await Accounts.LoginAsync(client, username, "guess number 11");
        using var evenTheRightPassword = await Accounts.LoginAsync(client, username);

        Assert.Multiple(() =>
        {
            Assert.That(eleventh.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(eleventh.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(eleventh.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(evenTheRightPassword.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the lock holds for the rest of the minute");
        });
    }

    [Test]
    public async Task TwentyConcurrentRegistrationsOfOneNameCreateExactlyOneAccount()
    {
        using var client = Platform.CreateGatewayClient();
        var username = Accounts.NewUsername("race");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async attempt =>
        {
            // Case differs between attempts: uniqueness is case-insensitive.
            var name = attempt % 2 == 0 ? username : username.ToUpperInvariant();
            using var response = await Accounts.RegisterAsync(client, name, $"{Accounts.Password} {attempt}");
            return response.StatusCode;
        }));

        Assert.That(answers.Count(status => status == HttpStatusCode.Created), Is.EqualTo(1));
        Assert.That(answers.Count(status => status == HttpStatusCode.Conflict), Is.EqualTo(19));
    }
}
