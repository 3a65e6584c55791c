using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebIde.Gateway.RateLimiting;

using WebIde.Tests.Shared;

namespace WebIde.Gateway.UnitTests.RateLimiting;

/// <summary>
/// The middleware driven directly, counting in a real local redis-server, on a clock that
/// stands at 10:00:15 unless a test moves it. Every test counts callers of its own.
/// </summary>
public sealed class RequestBudgetTests
{
    private static readonly DateTimeOffset Quarter = new(2030, 1, 1, 10, 0, 15, TimeSpan.Zero);
    private static int _addresses;

    private LocalRedis _redis = null!;
    private ServiceProvider _services = null!;
    private ManualTime _time = null!;
    private RequestBudgetOptions _options = null!;

    [OneTimeSetUp]
    public async Task StartRedisAsync()
    {
        _redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        _services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
    }

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        await _services.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _time = new ManualTime(Quarter);
        _options = new RequestBudgetOptions { PerUserPerMinute = 3, PerAnonymousAddressPerMinute = 2 };
    }

    private const string Grpc = "application/grpc";

    private sealed record Outcome(bool Reached, int Status, string? RetryAfter, string? ContentType, string Body, IHeaderDictionary Headers);

    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref _addresses);
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }

    private static string NewUser() => Guid.NewGuid().ToString();

    private async Task<Outcome> SendAsync(string path, string? user, string address, IConnectionMultiplexer? redis = null, string? contentType = null)
    {
        var reached = false;
        var budget = new RequestBudget(context =>
        {
            reached = true;
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }, redis ?? _redis.Connection, Options.Create(_options), _time, NullLogger<RequestBudget>.Instance);

        var context = new DefaultHttpContext { RequestServices = _services };
        // gRPC calls are POSTs with a content type of their own; everything else here is a GET.
        context.Request.Method = contentType is null ? HttpMethods.Get : HttpMethods.Post;
        context.Request.Path = path;
        context.Request.ContentType = contentType;
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (user is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "Bearer"));
        }
        using var body = new MemoryStream();
        context.Response.Body = body;

        await budget.InvokeAsync(context);

        return new Outcome(
            reached,
            context.Response.StatusCode,
            context.Response.Headers.RetryAfter.FirstOrDefault(),
            context.Response.ContentType,
            System.Text.Encoding.UTF8.GetString(body.ToArray()),
            context.Response.Headers);
    }

    private Task<Outcome> CallAsync(string method, string? user, string address, string contentType = Grpc) =>
        SendAsync(method, user, address, contentType: contentType);

    [Test]
    public async Task ASignedInUserIsCountedAcrossAllTheirAddresses()
    {
        _options.PerAnonymousAddressPerMinute = 100;
        var user = NewUser();

        var within = new List<Outcome>();
        for (var i = 0; i < 3; i++)
        {
            within.Add(await SendAsync("/api/workspaces", user, NewAddress()));
        }
        var over = await SendAsync("/api/workspaces", user, NewAddress());

        Assert.That(within.Select(outcome => outcome.Reached), Is.All.True);
        Assert.That(over.Reached, Is.False);
        Assert.That(over.Status, Is.EqualTo(StatusCodes.Status429TooManyRequests));
    }

    [Test]
    public async Task OneUsersBudgetDoesNotLimitAnotherOnTheSameAddress()
    {
        var address = NewAddress();
        var spender = NewUser();
        for (var i = 0; i < 4; i++)
        {
            await SendAsync("/api/workspaces", spender, address);
        }

        var other = await SendAsync("/api/workspaces", NewUser(), address);

        Assert.That((await SendAsync("/api/workspaces", spender, address)).Reached, Is.False);
        Assert.That(other.Reached, Is.True);
    }

    [Test]
    public async Task AnAnonymousCallerIsCountedPerAddress()
    {
        var address = NewAddress();

        var first = await SendAsync("/api/auth/login", null, address);
        var second = await SendAsync("/api/auth/login", null, address);
        var third = await SendAsync("/api/auth/login", null, address);
        var elsewhere = await SendAsync("/api/auth/login", null, NewAddress());

        Assert.That((first.Reached, second.Reached), Is.EqualTo((true, true)));
        Assert.That(third.Reached, Is.False);
        Assert.That(third.Status, Is.EqualTo(StatusCodes.Status429TooManyRequests));
        Assert.That(elsewhere.Reached, Is.True);
    }

    [Test]
    public async Task ASignedInUserHasTheUserBudgetNotTheAddressOne()
    {
        _options.PerUserPerMinute = 5;
        _options.PerAnonymousAddressPerMinute = 1;
        var user = NewUser();
        var address = NewAddress();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 6; i++)
        {
            outcomes.Add(await SendAsync("/api/workspaces", user, address));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.EqualTo(new[] { true, true, true, true, true, false }));
    }

    [TestCase(15, 45)]
    [TestCase(0, 60)]
    [TestCase(59, 1)]
    public async Task OverTheLimitIsA429ProblemWithRetryAfterUntilTheNextMinute(int second, int retryAfter)
    {
        _time.Now = new DateTimeOffset(2030, 1, 1, 11, 7, second, TimeSpan.Zero);
        var address = NewAddress();
        await SendAsync("/api/files", null, address);
        await SendAsync("/api/files", null, address);

        var over = await SendAsync("/api/files", null, address);

        Assert.That(over.Reached, Is.False);
        Assert.That(over.Status, Is.EqualTo(StatusCodes.Status429TooManyRequests));
        Assert.That(over.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(int.Parse(over.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 60).And.EqualTo(retryAfter));
        using var problem = JsonDocument.Parse(over.Body);
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(429));
        Assert.That(problem.RootElement.GetProperty("title").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task TheBudgetStartsAfreshWhenTheNextMinuteBegins()
    {
        var address = NewAddress();
        for (var i = 0; i < 3; i++)
        {
            await SendAsync("/api/files", null, address);
        }
        Assert.That((await SendAsync("/api/files", null, address)).Reached, Is.False);

        _time.Now = new DateTimeOffset(2030, 1, 1, 10, 1, 0, TimeSpan.Zero);

        Assert.That((await SendAsync("/api/files", null, address)).Reached, Is.True);
    }

    [TestCase("/api")]
    [TestCase("/api/workspaces")]
    [TestCase("/API/auth/me")]
    [TestCase("/ws/collaboration")]
    public async Task ApiAndWebSocketPathsAreCounted(string path)
    {
        var address = NewAddress();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add(await SendAsync(path, null, address));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.EqualTo(new[] { true, true, false }));
    }

    [TestCase("/")]
    [TestCase("/index.html")]
    [TestCase("/assets/app.js")]
    [TestCase("/health")]
    [TestCase("/apis")]
    [TestCase("/wsx/a")]
    [TestCase("/static/api/x")]
    public async Task PathsOutsideApiAndWsAreNeverCounted(string path)
    {
        var address = NewAddress();
        var user = NewUser();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 10; i++)
        {
            outcomes.Add(await SendAsync(path, null, address));
            outcomes.Add(await SendAsync(path, user, address));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.All.True);
        // Nothing was spent: the whole budget is left for the API.
        Assert.That((await SendAsync("/api/files", null, address)).Reached, Is.True);
        Assert.That((await SendAsync("/api/files", null, address)).Reached, Is.True);
        Assert.That((await SendAsync("/api/files", null, address)).Reached, Is.False);
        Assert.That((await SendAsync("/api/files", user, address)).Reached, Is.True);
    }

    [Test]
    public async Task WhenRedisCannotBeReachedRequestsGoThroughAtOnce()
    {
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{LocalRedis.FreePort()},abortConnect=false,connectTimeout=200");
        Assert.That(unreachable.IsConnected, Is.False);
        var address = NewAddress();

        var clock = Stopwatch.StartNew();
        var outcomes = new List<Outcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add(await SendAsync("/api/files", null, address, unreachable));
            outcomes.Add(await SendAsync("/api/files", NewUser(), address, unreachable));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.All.True);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task WhenRedisStopsAnsweringRequestsGoThroughWithinTheCommandTimeout()
    {
        await using var stalled = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{stalled.Port},asyncTimeout=500,syncTimeout=500");
        var address = NewAddress();
        Assert.That((await SendAsync("/api/files", null, address, client)).Reached, Is.True);

        // Writes wait on the server for 10 s while the connection stays up.
        await stalled.Connection.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "10000", "WRITE");
        Assert.That(client.IsConnected, Is.True);
        var clock = Stopwatch.StartNew();
        var outcome = await SendAsync("/api/files", null, address, client);

        Assert.That(outcome.Reached, Is.True);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [TestCase("/webide.execution.v1.Execution/Run")]
    [TestCase("/grpc.health.v1.Health/Check")]
    [TestCase("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")]
    public async Task AGrpcCallIsCountedHealthAndReflectionToo(string method)
    {
        var address = NewAddress();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add(await CallAsync(method, null, address));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.EqualTo(new[] { true, true, false }));
    }

    [TestCase("application/grpc")]
    [TestCase("application/grpc+proto")]
    [TestCase("application/grpc+json")]
    [TestCase("application/grpc-web")]
    [TestCase("Application/GRPC")]
    [TestCase("application/grpc; charset=utf-8")]
    public async Task EveryGrpcContentTypeMakesACall(string contentType)
    {
        var address = NewAddress();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add(await CallAsync("/webide.execution.v1.Execution/Run", null, address, contentType));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.EqualTo(new[] { true, true, false }));
        Assert.That(outcomes[^1].Headers["grpc-status"].ToString(), Is.EqualTo("8"));
    }

    [TestCase("application/json")]
    [TestCase("application/grpcx")]
    [TestCase("text/plain")]
    public async Task ARequestOutsideApiAndWsThatIsNoGrpcCallIsNotCounted(string contentType)
    {
        var address = NewAddress();

        var outcomes = new List<Outcome>();
        for (var i = 0; i < 10; i++)
        {
            outcomes.Add(await CallAsync("/webide.execution.v1.Execution/Run", null, address, contentType));
        }

        Assert.That(outcomes.Select(outcome => outcome.Reached), Is.All.True);
    }

    [Test]
    public async Task GrpcCallsAndRestRequestsDrawOnOneBudget()
    {
        var user = NewUser();
        var address = NewAddress();

        var within = new[]
        {
            await SendAsync("/api/workspaces", user, address),
            await CallAsync("/webide.execution.v1.Execution/Run", user, NewAddress()),
            await SendAsync("/api/workspaces", user, address),
        };
        var grpcOver = await CallAsync("/webide.execution.v1.Execution/Run", user, address);
        var restOver = await SendAsync("/api/workspaces", user, address);

        Assert.That(within.Select(outcome => outcome.Reached), Is.All.True);
        Assert.That((grpcOver.Reached, restOver.Reached), Is.EqualTo((false, false)));
        Assert.That(restOver.Status, Is.EqualTo(StatusCodes.Status429TooManyRequests), "REST is refused as before");
    }

    [TestCase(15, 45)]
    [TestCase(0, 60)]
    [TestCase(59, 1)]
    public async Task OverTheBudgetAGrpcCallEndsTrailersOnlyWithResourceExhaustedAndWhenToRetry(int second, int retryAfter)
    {
        _time.Now = new DateTimeOffset(2030, 1, 1, 11, 7, second, TimeSpan.Zero);
        var user = NewUser();
        var address = NewAddress();
        for (var i = 0; i < 3; i++)
        {
            await CallAsync("/webide.execution.v1.Execution/Run", user, address);
        }

        var over = await CallAsync("/webide.execution.v1.Execution/Run", user, address);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(over.Reached, Is.False);
            // A gRPC client reads the status from grpc-status; HTTP 200 says the call reached a gRPC server.
            Assert.That(over.Status, Is.EqualTo(StatusCodes.Status200OK));
            Assert.That(over.ContentType, Is.EqualTo("application/grpc"));
            Assert.That(over.Headers["grpc-status"].ToString(), Is.EqualTo("8"), "RESOURCE_EXHAUSTED");
            Assert.That(over.Headers["grpc-message"].ToString(), Is.EqualTo($"At most 3 requests a minute; try again in {retryAfter} s."));
            Assert.That(over.RetryAfter, Is.EqualTo(retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(over.Headers["grpc-retry-pushback-ms"].ToString(), Is.EqualTo((retryAfter * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(over.Body, Is.Empty, "trailers-only: no message, no problem body");
        }
    }

    [Test]
    public async Task OverTheBudgetARestRequestIsStillAProblemEvenAfterGrpcCalls()
    {
        var address = NewAddress();
        await CallAsync("/grpc.health.v1.Health/Check", null, address);
        await CallAsync("/grpc.health.v1.Health/Check", null, address);

        var over = await SendAsync("/api/files", null, address);

        Assert.That(over.Status, Is.EqualTo(StatusCodes.Status429TooManyRequests));
        Assert.That(over.ContentType, Does.StartWith("application/problem+json"));
        Assert.That(over.Headers.ContainsKey("grpc-status"), Is.False);
    }
}
