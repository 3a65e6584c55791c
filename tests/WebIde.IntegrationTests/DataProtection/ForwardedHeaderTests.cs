using System.Net;
using System.Net.Http.Json;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.DataProtection;

/// <summary>
/// The failed-login lockout (docs/api.md §1: 10 a minute per client address) counts the real client: a client
/// cannot dodge it or aim it at someone else with <c>X-Forwarded-For</c>; behind a trusted proxy
/// (<see cref="Platform.TrustedProxy"/>) each of the proxy's clients counts on its own.
/// </summary>
public sealed class ForwardedHeaderTests
{
    [Test]
    public async Task ASpoofedAddressOnEachFailedLoginStillLocksTheRealOne()
    {
        using var client = Platform.CreateGatewayClient();

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var failed = await LoginAsync(client, Accounts.NewUsername("nobody"), forwardedFor: $"198.51.100.{attempt}");
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {attempt}");
        }
        using var eleventh = await LoginAsync(client, Accounts.NewUsername("nobody"), forwardedFor: "198.51.100.11");

        Assert.That(eleventh.StatusCode, Is.EqualTo((HttpStatusCode)429));
        Assert.That(eleventh.Headers.RetryAfter, Is.Not.Null);
    }

    [Test]
    public async Task ASpoofedAddressDoesNotLockTheClientItNames()
    {
        var victimAddress = IPAddress.Parse("127.0.0.253");
        using var victim = Platform.CreateGatewayClient(victimAddress);
        var (username, _) = await Accounts.SignedInUserAsync(victim, "victim");
        using var attacker = Platform.CreateGatewayClient(IPAddress.Parse("127.0.0.252"));

        for (var attempt = 1; attempt <= 11; attempt++)
        {
            using var failed = await LoginAsync(attacker, Accounts.NewUsername("nobody"), forwardedFor: victimAddress.ToString());
        }
        using var login = await Accounts.LoginAsync(victim, username);

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task BehindATrustedProxyEachOfItsClientsIsCountedOnItsOwn()
    {
        using var proxy = Platform.CreateGatewayClient(Platform.TrustedProxy);
        const string Guesser = "203.0.113.7";

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            // What the guesser wrote itself comes first; the proxy appends the address it saw.
            using var failed = await LoginAsync(proxy, Accounts.NewUsername("nobody"), forwardedFor: $"192.0.2.{attempt}, {Guesser}");
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {attempt}");
        }
        using var guesserAgain = await LoginAsync(proxy, Accounts.NewUsername("nobody"), forwardedFor: Guesser);
        using var someoneElse = await LoginAsync(proxy, Accounts.NewUsername("nobody"), forwardedFor: "203.0.113.8");

        Assert.Multiple(() =>
        {
            Assert.That(guesserAgain.StatusCode, Is.EqualTo((HttpStatusCode)429), "the guesser is locked out");
            Assert.That(someoneElse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "not every client of the proxy with it");
        });
    }

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string username, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { username, password = "not the password" }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }
}
