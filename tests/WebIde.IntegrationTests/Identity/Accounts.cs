using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.IntegrationTests.Identity;

/// <summary>Registers and signs in users through the gateway, as a browser would.</summary>
public static class Accounts
{
    public const string Password = "correct horse battery";

    public static string NewUsername(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}"[..24];

    public static async Task<HttpResponseMessage> RegisterAsync(HttpClient client, string username, string password = Password, string? displayName = null) =>
        await client.PostAsJsonAsync("/api/auth/register", new { username, password, displayName });

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string username, string password = Password) =>
        await client.PostAsJsonAsync("/api/auth/login", new { username, password });

    /// <summary>A new user, signed in: the token pair as the login answered it.</summary>
    public static async Task<(string Username, JsonElement Tokens)> SignedInUserAsync(HttpClient client, string prefix = "user")
    {
        var username = NewUsername(prefix);
        using (var registered = await RegisterAsync(client, username))
        {
            registered.EnsureSuccessStatusCode();
        }
        using var login = await LoginAsync(client, username);
        login.EnsureSuccessStatusCode();
        return (username, await login.Content.ReadFromJsonAsync<JsonElement>());
    }

    public static HttpRequestMessage Authorized(HttpMethod method, string path, string accessToken)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    public static string Access(this JsonElement tokens) => tokens.GetProperty("accessToken").GetString()!;

    public static string Refresh(this JsonElement tokens) => tokens.GetProperty("refreshToken").GetString()!;
}
