using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;
using WebIde.Identity.Tokens;
using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Apis;

/// <summary>
/// Identity as its Program composes it, on the test server, with a SQLite store and a real
/// redis-server of its own; without its background services (key rotation is run once by hand,
/// the bus is not needed). Requests are sent as the gateway forwards them, from loopback.
/// </summary>
internal sealed class IdentityHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    /// <summary>The clients the AppHost gives credentials, and one it does not know of.</summary>
    public static readonly string[] ServiceClients = ["filesystem", "collaboration", "execution", "newcomer"];

    private readonly LocalRedis _redis;
    private readonly ServiceHostBuilder _host;
    private readonly WebApplication _app;

    private IdentityHost(LocalRedis redis, ServiceHostBuilder host, WebApplication app)
    {
        _redis = redis;
        _host = host;
        _app = app;
    }

    public LocalRedis Redis => _redis;

    public IServiceProvider Services => _app.Services;

    /// <summary>Null where there is no redis-server.</summary>
    public static async Task<IdentityHost?> TryStartAsync()
    {
        var redis = await LocalRedis.TryStartAsync();
        if (redis is null)
        {
            return null;
        }

        var host = new ServiceHostBuilder("identity", Extensions.AddApplicationServices)
        {
            ConfigureServices = services => services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>(),
        };
        host.Settings["ConnectionStrings:redis"] = $"127.0.0.1:{redis.Port}";
        foreach (var client in ServiceClients)
        {
            host.Settings[$"ServiceClients:{client}"] = ClientSecret(client);
        }
        var app = host.Build();
        app.MapApplicationEndpoints();
        await app.StartAsync();
        await app.Services.GetRequiredService<SigningKeyRing>().RotateIfDueAsync(CancellationToken.None);
        return new IdentityHost(redis, host, app);
    }

    /// <summary>A request as the gateway forwards it: from loopback, with the headers given (X-Forwarded-*, Origin, Cookie…).</summary>
    public async Task<Answer> SendAsync(string method, string path, object? json = null, IReadOnlyDictionary<string, string>? headers = null, string host = "127.0.0.1:8080", string? textBody = null)
    {
        using var client = new HttpClient(_app.GetTestServer().CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Loopback))
        {
            BaseAddress = new Uri($"http://{host}"),
        };
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }
        else if (textBody is not null)
        {
            request.Content = new StringContent(textBody, System.Text.Encoding.UTF8, "text/plain");
        }

        using var response = await client.SendAsync(request);
        var answered = new HeaderDictionary();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            answered[name] = values.ToArray();
        }
        return new Answer((int)response.StatusCode, answered, await response.Content.ReadAsStringAsync());
    }

    public static string ClientSecret(string client) => $"{client}-secret";

    /// <summary>A client credentials request to <c>/connect/token</c>, as <c>ServiceTokenClient</c> makes it.</summary>
    public async Task<Answer> RequestServiceTokenAsync(IReadOnlyDictionary<string, string> form)
    {
        using var client = new HttpClient(_app.GetTestServer().CreateHandler()) { BaseAddress = new Uri("http://identity") };
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(form));
        return new Answer((int)response.StatusCode, new HeaderDictionary(), await response.Content.ReadAsStringAsync());
    }

    public async Task<string> NewUserAsync()
    {
        var username = $"u-{Guid.NewGuid():N}"[..20];
        var registered = await SendAsync("POST", "/api/auth/register", new { username, password = Password });
        Assert.That(registered.Status, Is.EqualTo(StatusCodes.Status201Created), registered.Body);
        return username;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _host.Dispose();
        await _redis.DisposeAsync();
    }
}

/// <summary>What identity answered.</summary>
internal sealed record Answer(int Status, IHeaderDictionary Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The Set-Cookie of the refresh token cookie, if the answer set or cleared it.</summary>
    public SetCookieHeaderValue? RefreshCookie =>
        SetCookieHeaderValue.ParseList([.. Headers.SetCookie.OfType<string>()]).SingleOrDefault(cookie => cookie.Name == "webide_refresh");
}
