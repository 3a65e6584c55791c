using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WebIde.Gateway.Health;

namespace WebIde.Gateway.UnitTests.Health;

public sealed class ServiceHealthCheckTests
{
    private const string HealthyIdentity = """
        {"status":"Healthy","totalMilliseconds":3,"entries":{
          "self":{"status":"Healthy","durationMilliseconds":0},
          "store":{"status":"Healthy","description":"sqlite identity.db","durationMilliseconds":2}}}
        """;

    private const string IdentityWithRedisDown = """
        {"status":"Unhealthy","totalMilliseconds":3,"entries":{
          "self":{"status":"Healthy","durationMilliseconds":0},
          "redis":{"status":"Unhealthy","description":"It was not possible to connect to the redis server","durationMilliseconds":2}}}
        """;

    [Test]
    public async Task AHealthyServiceIsHealthyWithTheStatesOfItsDependencies()
    {
        var factory = new StubHttpClientFactory((_, _) => Task.FromResult(Json(HttpStatusCode.OK, HealthyIdentity)));

        var result = await CheckAsync(factory);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(result.Data, Is.EquivalentTo(new Dictionary<string, object> { ["self"] = "Healthy", ["store"] = "Healthy" }));
            Assert.That(factory.Requests, Is.EqualTo(new[] { (ServiceHealthExtensions.ProbeClient, (Uri?)new Uri("https+http://identity/health")) }));
        }
    }

    [Test]
    public async Task AServiceWithADependencyDownIsUnhealthyNamingIt()
    {
        var factory = new StubHttpClientFactory((_, _) => Task.FromResult(Json(HttpStatusCode.ServiceUnavailable, IdentityWithRedisDown)));

        var result = await CheckAsync(factory);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Does.StartWith("identity: ").And.Contain("redis Unhealthy: It was not possible to connect"));
            Assert.That(result.Description, Does.Not.Contain("self"));
            Assert.That(result.Data["redis"], Is.EqualTo("Unhealthy"));
        }
    }

    [Test]
    public async Task AServiceAnswering200WithANonHealthyReportIsNotHealthy()
    {
        var degraded = HealthyIdentity.Replace("\"status\":\"Healthy\",\"totalMilliseconds\"", "\"status\":\"Degraded\",\"totalMilliseconds\"", StringComparison.Ordinal);
        var factory = new StubHttpClientFactory((_, _) => Task.FromResult(Json(HttpStatusCode.OK, degraded)));

        var result = await CheckAsync(factory);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task TheRegistrationsFailureStatusIsUsed()
    {
        var factory = new StubHttpClientFactory((_, _) => Task.FromResult(Json(HttpStatusCode.ServiceUnavailable, IdentityWithRedisDown)));

        var result = await CheckAsync(factory, failureStatus: HealthStatus.Degraded);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
    }

    [Test]
    public async Task InvalidJsonMeansTheServiceDoesNotAnswer()
    {
        var factory = new StubHttpClientFactory((_, _) => Task.FromResult(Json(HttpStatusCode.OK, "<html>Bad Gateway</html>")));

        var result = await CheckAsync(factory);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Is.EqualTo("identity does not answer"));
    }

    [Test]
    public async Task ARefusedConnectionMeansTheServiceDoesNotAnswer()
    {
        var factory = new StubHttpClientFactory((_, _) =>
            Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (identity:80)", new SocketException((int)SocketError.ConnectionRefused))));

        var result = await CheckAsync(factory);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Is.EqualTo("identity does not answer"));
        Assert.That(result.Exception, Is.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task AServiceThatHangsPastTheClientTimeoutDoesNotAnswer()
    {
        // The handler waits until the client gives up; no real time passes beyond the timeout.
        var factory = new StubHttpClientFactory(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }, timeout: TimeSpan.FromMilliseconds(100));

        var result = await CheckAsync(factory);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Is.EqualTo("identity does not answer"));
    }

    [Test]
    public void TheCallersCancellationIsNotSwallowed()
    {
        var factory = new StubHttpClientFactory(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(async () => await CheckAsync(factory, cancellationToken: cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    private static Task<HealthCheckResult> CheckAsync(
        IHttpClientFactory factory, HealthStatus failureStatus = HealthStatus.Unhealthy, CancellationToken cancellationToken = default)
    {
        var check = new ServiceHealthCheck(factory, "identity");
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("identity", check, failureStatus, ["ready"]) };
        return check.CheckHealthAsync(context, cancellationToken);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
}
