using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Bench;

/// <summary>The few gateway calls every benchmark needs to set itself up: a user, a workspace, files.</summary>
public static class PlatformClient
{
    private const string Password = "benchmark password 1";

    public static async Task<string> SignUpAsync(HttpClient client)
    {
        var username = $"bench-{Guid.NewGuid():N}"[..20];
        using var registered = await client.PostAsJsonAsync("/api/auth/register", new { username, password = Password });
        registered.EnsureSuccessStatusCode();
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { username, password = Password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    public static async Task<string> CreateWorkspaceAsync(HttpClient client, string token, string name)
    {
        using var request = Authorized(HttpMethod.Post, "/api/workspaces", token);
        request.Content = JsonContent.Create(new { name });
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<bool> PutAsync(HttpClient client, string token, string workspace, string path, byte[] content)
    {
        using var request = Authorized(HttpMethod.Put, FilePath(workspace, path), token);
        request.Content = new ByteArrayContent(content);
        using var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response.IsSuccessStatusCode;
    }

    public static string FilePath(string workspace, string path) => string.Create(CultureInfo.InvariantCulture, $"/api/workspaces/{workspace}/files/{path}");

    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
