using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>The gateway's <c>/health</c> asks every service, found by service discovery.</summary>
public sealed class GatewayHealthTests
{
    [Test]
    public async Task EveryServiceIsAskedForItsHealthWithItsDependencies()
    {
        using var client = GatewayUnderTest.Gateway.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries");

        using (Assert.EnterMultipleScope())
        {
            foreach (var service in Extensions.Services)
            {
                var entry = entries.GetProperty(service);
                Assert.That(entry.GetProperty("status").GetString(), Is.EqualTo("Healthy"), service);
                Assert.That(entry.GetProperty("data").GetProperty("store").GetString(), Is.EqualTo("Healthy"), service);
            }
        }
    }
}
