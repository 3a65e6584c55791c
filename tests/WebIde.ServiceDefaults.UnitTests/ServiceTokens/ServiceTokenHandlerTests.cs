using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using WebIde.ServiceDefaults.ServiceTokens;

namespace WebIde.ServiceDefaults.UnitTests.ServiceTokens;

public sealed class ServiceTokenHandlerTests
{
    private TokenEndpoint _endpoint = null!;
    private ServiceTokenClient _tokens = null!;
    private List<AuthenticationHeaderValue?> _seen = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Create()
    {
        _endpoint = new TokenEndpoint();
        _tokens = new ServiceTokenClient(_endpoint, Options.Create(new ServiceClientCredentials { Id = "collaboration", Secret = "secret" }), TimeProvider.System);
        _seen = [];
        _http = new HttpClient(new ServiceTokenHandler(_tokens) { InnerHandler = new Recorder(_seen) }) { BaseAddress = new Uri("http://filesystem") };
    }

    [TearDown]
    public void Dispose()
    {
        _http.Dispose();
        _tokens.Dispose();
        _endpoint.Dispose();
    }

    [Test]
    public async Task ACallWithoutATokenCarriesTheServicesOwn()
    {
        using var response = await _http.GetAsync(new Uri("/files", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_seen.Single()?.ToString(), Is.EqualTo("Bearer token-1"));
    }

    [Test]
    public async Task TheServiceTokenIsReusedAcrossCalls()
    {
        using var first = await _http.GetAsync(new Uri("/files", UriKind.Relative));
        using var second = await _http.GetAsync(new Uri("/files", UriKind.Relative));

        Assert.That(_seen.Select(header => header?.ToString()), Is.EqualTo(new[] { "Bearer token-1", "Bearer token-1" }));
        Assert.That(_endpoint.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AUsersTokenPassesThroughUnchanged()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/files");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "the-users-token");

        using var response = await _http.SendAsync(request);

        Assert.That(_seen.Single()?.ToString(), Is.EqualTo("Bearer the-users-token"));
        Assert.That(_endpoint.Requests, Is.Empty, "no service token is fetched for a call that has one");
    }

    private sealed class Recorder(List<AuthenticationHeaderValue?> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.Authorization);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
