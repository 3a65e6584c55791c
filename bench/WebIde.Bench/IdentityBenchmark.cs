using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Bench;

/// <summary>
/// Logins per second and token validations per second (an authenticated call: signature,
/// expiry and revocation checked), beside an unauthenticated call through the same gateway
/// to the same service as the baseline.
/// </summary>
public static class IdentityBenchmark
{
    private const string Password = "benchmark password 1";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 }) { BaseAddress = options.Gateway };
        Console.WriteLine($"identity benchmark against {options.Gateway}, {options.Concurrency} workers, {options.Duration.TotalSeconds:F0} s each");

        // One user per worker: the gateway's per-user budget must not be what is measured.
        var users = new List<(string Username, string AccessToken)>();
        for (var worker = 0; worker < options.Concurrency; worker++)
        {
            var username = $"bench-{Guid.NewGuid():N}"[..20];
            using var registered = await client.PostAsJsonAsync("/api/auth/register", new { username, password = Password });
            registered.EnsureSuccessStatusCode();
            using var login = await client.PostAsJsonAsync("/api/auth/login", new { username, password = Password });
            login.EnsureSuccessStatusCode();
            var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
            users.Add((username, tokens.GetProperty("accessToken").GetString()!));
        }

        var baseline = await LoadRun.MeasureAsync("baseline: GET /api/auth/jwks (no token)", options.Concurrency, options.Duration, async (_, _) =>
        {
            using var response = await client.GetAsync("/api/auth/jwks");
            return response.StatusCode == HttpStatusCode.OK;
        });

        var validations = await LoadRun.MeasureAsync("token validation: GET /api/auth/me", options.Concurrency, options.Duration, async (worker, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", users[worker].AccessToken);
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        });

        var logins = await LoadRun.MeasureAsync("login: POST /api/auth/login", options.Concurrency, options.Duration, async (worker, _) =>
        {
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { username = users[worker].Username, password = Password });
            return response.StatusCode == HttpStatusCode.OK;
        });

        Console.WriteLine(LoadResult.Header);
        Console.WriteLine(baseline);
        Console.WriteLine(validations);
        Console.WriteLine(logins);
        return baseline.Errors + validations.Errors + logins.Errors == 0 ? 0 : 1;
    }
}
