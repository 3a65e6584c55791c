using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebIde.Gateway.Health;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// The gateway's <c>/health</c>: up or down for anyone, from one shared round of checks; every service found by
/// service discovery, with its dependencies, only for an operator. The gateway under test has no Redis, so the
/// platform is down: what a down platform tells the public is what must not leak.
/// </summary>
public sealed class GatewayHealthTests
{
    [Test]
    public async Task AnyoneLearnsOnlyWhetherThePlatformIsUp()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(text, Is.EqualTo("""{"status":"Unhealthy"}"""), "no service, dependency or error named");
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        }
    }

    [Test]
    public async Task ABurstOfRequestsAsksEachServiceAtMostOnce()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        var before = new Dictionary<string, int>(GatewayUnderTest.Services.HealthAsks);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            return response.StatusCode;
        }));

        var asked = GatewayUnderTest.Services.HealthAsks.ToDictionary(
            listener => listener.Key, listener => listener.Value - before.GetValueOrDefault(listener.Key));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answers, Is.All.EqualTo(HttpStatusCode.ServiceUnavailable));
            // The two collaboration instances share one echo listener, so it is asked twice per round.
            Assert.That(asked.GetValueOrDefault(EchoServices.Identity), Is.LessThanOrEqualTo(1));
            Assert.That(asked.GetValueOrDefault(EchoServices.Collaboration), Is.LessThanOrEqualTo(2));
        }
    }

    [Test]
    public async Task AnOperatorGetsEveryServiceWithItsDependencies()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        request.Headers.Add(OperatorKey.Header, GatewayUnderTest.OperatorKey);

        using var response = await client.SendAsync(request);
        var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            var redis = entries.GetProperty("StackExchange.Redis");
            Assert.That(redis.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(redis.GetProperty("description").GetString(), Is.Not.Empty, "an operator learns what went wrong");
            foreach (var service in Extensions.Services)
            {
                var entry = entries.GetProperty(service);
                Assert.That(entry.GetProperty("status").GetString(), Is.EqualTo("Healthy"), service);
                Assert.That(entry.GetProperty("data").GetProperty("store").GetString(), Is.EqualTo("Healthy"), service);
            }
        }
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("operator-key-for-the-gateway-test")]
    [TestCase("OPERATOR-KEY-FOR-THE-GATEWAY-TESTS")]
    public async Task WithoutTheOperatorKeyTheDetailsAreRefused(string? key)
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/details");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(OperatorKey.Header, key);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body, Does.Contain(OperatorKey.Header).And.Not.Contain("identity"));
        }
    }
}
