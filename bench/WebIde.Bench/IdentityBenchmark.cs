using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
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

    private static async Task<(LoadResult WrongPassword, LoadResult UnknownUser)> CompareFailedLoginsAsync(BenchOptions options, List<string> usernames)
    {
        var timings = new[] { new List<double>(), new List<double>() };
        var errors = new long[2];
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; stopwatch.Elapsed < options.Duration; attempt++)
        {
            var kind = attempt % 2;
            var username = kind == 0 ? usernames[attempt / 2 % usernames.Count] : $"nobody-{Guid.NewGuid():N}"[..20];
            using var fresh = FromAddress(options.Gateway, attempt);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await fresh.PostAsJsonAsync("/api/auth/login", new { username, password = "wrong password!" });
            timings[kind].Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            errors[kind] += response.StatusCode == HttpStatusCode.Unauthorized ? 0 : 1;
        }

        LoadResult Summarize(int kind, string name)
        {
            var sorted = timings[kind].Order().ToArray();
            double Percentile(double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
            return new LoadResult(name, sorted.Length / stopwatch.Elapsed.TotalSeconds, Percentile(0.5), Percentile(0.99), sorted.Length, errors[kind]);
        }

        return (Summarize(0, "failed login: wrong password"), Summarize(1, "failed login: unknown user"));
    }

    /// <summary>A client whose connections come from 127.0.(n/250).(n%250+2): another machine, as far as per-address limits go.</summary>
    private static HttpClient FromAddress(Uri gateway, int n)
    {
        var from = new IPAddress([127, 0, (byte)(1 + (n / 250)), (byte)(2 + (n % 250))]);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = gateway };
    }

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

        // Failed logins are throttled per username and per address, so each attempt comes from
        // an address of its own. The two kinds alternate, one at a time, so that both see the
        // same machine: only the difference between them matters.
        var (wrongPassword, unknownUser) = await CompareFailedLoginsAsync(options, users.Select(user => user.Username).ToList());

        LoadResult[] results = [baseline, validations, logins, wrongPassword, unknownUser];
        Console.WriteLine(LoadResult.Header);
        foreach (var result in results)
        {
            Console.WriteLine(result);
        }
        return results.Sum(result => result.Errors) == 0 ? 0 : 1;
    }
}
