using System.Net;
using Microsoft.Extensions.Options;
using WebIde.ServiceDefaults.ServiceTokens;

using WebIde.Tests.Shared;

namespace WebIde.ServiceDefaults.UnitTests.ServiceTokens;

public sealed class ServiceTokenClientTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private TokenEndpoint _endpoint = null!;
    private ManualTime _time = null!;
    private ServiceTokenClient _client = null!;

    [SetUp]
    public void Create()
    {
        _endpoint = new TokenEndpoint();
        _time = new ManualTime(Start);
        _client = new ServiceTokenClient(_endpoint, Options.Create(new ServiceClientCredentials { Id = "filesystem", Secret = "s3cret+&=/ é" }), _time);
    }

    [TearDown]
    public void Dispose()
    {
        _client.Dispose();
        _endpoint.Dispose();
    }

    private Task<string> GetAsync() => _client.GetTokenAsync(CancellationToken.None).AsTask();

    [Test]
    public async Task ItAsksIdentityForAClientCredentialsTokenWithItsIdAndSecretFormEncoded()
    {
        var token = await GetAsync();

        Assert.That(token, Is.EqualTo("token-1"));
        var request = _endpoint.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Client, Is.EqualTo(ServiceTokenClient.HttpClientName));
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(request.Uri, Is.EqualTo(new Uri("http://identity/connect/token")));
            Assert.That(request.ContentType, Is.EqualTo("application/x-www-form-urlencoded"));
            Assert.That(request.Form, Is.EquivalentTo(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "filesystem",
                ["client_secret"] = "s3cret+&=/ é",
            }));
        });
    }

    [Test]
    public async Task TheTokenIsReusedUntilShortlyBeforeItExpires()
    {
        _endpoint.ExpiresIn = 300;
        var first = await GetAsync();

        _time.Now = Start + TimeSpan.FromSeconds(300) - ServiceTokenClient.RenewBefore - TimeSpan.FromSeconds(1);
        var reused = await GetAsync();
        Assert.That(reused, Is.EqualTo(first));
        Assert.That(_endpoint.Requests, Has.Count.EqualTo(1));

        _time.Now = Start + TimeSpan.FromSeconds(300) - ServiceTokenClient.RenewBefore;
        var renewed = await GetAsync();
        Assert.That(renewed, Is.EqualTo("token-2"));
        Assert.That(_endpoint.Requests, Has.Count.EqualTo(2));

        Assert.That(await GetAsync(), Is.EqualTo("token-2"));
        Assert.That(_endpoint.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void RenewingLeavesAMinute()
    {
        Assert.That(ServiceTokenClient.RenewBefore, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task ConcurrentFirstCallsFetchOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _endpoint.Answer = async _ =>
        {
            await release.Task;
            return null;
        };

        // Every caller is under way before identity answers the first.
        var calls = Enumerable.Range(0, 10).Select(_ => GetAsync()).ToArray();
        await _endpoint.Reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(calls.Any(call => call.IsCompleted), Is.False);
        release.SetResult();
        var tokens = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(tokens, Is.All.EqualTo("token-1"));
        Assert.That(_endpoint.Requests, Has.Count.EqualTo(1));
    }

    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.InternalServerError)]
    public async Task AFailedAnswerThrowsAndIsNotCached(HttpStatusCode status)
    {
        _endpoint.Answer = number => Task.FromResult(number == 1 ? new HttpResponseMessage(status) : null);

        Assert.ThrowsAsync<HttpRequestException>(GetAsync);
        var token = await GetAsync();

        Assert.That(token, Is.EqualTo("token-1"));
        Assert.That(_endpoint.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AFailureDoesNotKeepLaterCallersWaiting()
    {
        _endpoint.Answer = number => number == 1 ? throw new HttpRequestException("identity is down") : Task.FromResult<HttpResponseMessage?>(null);

        Assert.ThrowsAsync<HttpRequestException>(GetAsync);
        var token = await GetAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(token, Is.EqualTo("token-1"));
    }
}
