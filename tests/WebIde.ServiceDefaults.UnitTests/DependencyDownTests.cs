using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace WebIde.ServiceDefaults.UnitTests;

/// <summary>A dependency that is down is a 503 to retry later, never a 500 that looks like a bug.</summary>
public sealed class DependencyDownTests
{
    private static IEnumerable<TestCaseData> DownDependencies()
    {
        yield return new TestCaseData(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "redis down")).SetArgDisplayNames("redis");
        yield return new TestCaseData(new RedisTimeoutException("redis stalled", CommandStatus.Sent)).SetArgDisplayNames("redis timeout");
        yield return new TestCaseData(new RpcException(new Status(StatusCode.Unavailable, "identity down"))).SetArgDisplayNames("grpc unavailable");
        yield return new TestCaseData(new HttpRequestException("connection refused")).SetArgDisplayNames("http connect");
        yield return new TestCaseData(new SqliteException("database is locked", 5)).SetArgDisplayNames("sqlite busy");
        // Redis at its maxmemory with noeviction refuses writes: full, not broken (docs/platform.md).
        yield return new TestCaseData(new RedisServerException("OOM command not allowed when used memory > 'maxmemory'.")).SetArgDisplayNames("redis full");
        yield return new TestCaseData(new InvalidOperationException("wrapped", new RedisConnectionException(ConnectionFailureType.SocketFailure, "inner"))).SetArgDisplayNames("wrapped");
    }

    [TestCaseSource(nameof(DownDependencies))]
    public async Task AnEndpointWhoseDependencyIsDownAnswers503WithRetryAfter(Exception failure)
    {
        await using var host = await DefaultsHost.StartAsync(mapEndpoints: app =>
            app.MapGet("/needs-redis", string () => throw failure));

        using var response = await host.Client.GetAsync(new Uri("/needs-redis", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(DependencyFailures.RetryAfterSeconds)));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(503));
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
        }
    }

    [Test]
    public async Task AnotherRedisErrorStays500()
    {
        await using var host = await DefaultsHost.StartAsync(mapEndpoints: app =>
            app.MapGet("/boom", string () => throw new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value")));

        using var response = await host.Client.GetAsync(new Uri("/boom", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
    }

    [TestCase(StatusCode.NotFound)]
    [TestCase(StatusCode.Internal)]
    public async Task OtherFailuresStay500(StatusCode status)
    {
        await using var host = await DefaultsHost.StartAsync(mapEndpoints: app =>
            app.MapGet("/boom", string () => throw new RpcException(new Status(status, "no"))));

        using var response = await host.Client.GetAsync(new Uri("/boom", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
    }
}
