using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// A fresh workspace reached through the gateway, its owner signed in, the starter project
/// already written (so what a test writes is the only thing changing). Paths are sent as
/// given, unescaped, so tests can send hostile ones.
/// </summary>
public sealed class FileWorkspace : IDisposable
{
    private FileWorkspace(HttpClient client, string id, string accessToken, string userId)
    {
        Client = client;
        Id = id;
        AccessToken = accessToken;
        UserId = userId;
    }

    public HttpClient Client { get; }

    public string Id { get; }

    public string AccessToken { get; }

    public string UserId { get; }

    public static readonly string[] StarterFiles = ["README.md", "main.py"];

    public static async Task<FileWorkspace> CreateAsync(string prefix = "files")
    {
        var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client, prefix);
        return await CreateForAsync(client, tokens.Access(), prefix);
    }

    /// <summary>Another workspace of this workspace's owner, on a client of its own.</summary>
    public Task<FileWorkspace> CreateSiblingAsync(string name) => CreateForAsync(Platform.CreateGatewayClient(), AccessToken, name);

    private static async Task<FileWorkspace> CreateForAsync(HttpClient client, string accessToken, string name)
    {
        using var created = await client.SendAsync(WithJson(Accounts.Authorized(HttpMethod.Post, "/api/workspaces", accessToken), new { name }));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var workspace = new FileWorkspace(client, id, accessToken, UserIdOf(accessToken));
        await workspace.WaitForStarterProjectAsync();
        return workspace;
    }

    /// <summary>A member with <paramref name="role"/> (or a stranger when null), signed in.</summary>
    public async Task<string> AddMemberAsync(string? role)
    {
        var (username, tokens) = await Accounts.SignedInUserAsync(Client, role ?? "stranger");
        if (role is not null)
        {
            await ShareAsync(username, role);
        }
        return tokens.Access();
    }

    /// <summary>Gives the user called <paramref name="username"/> <paramref name="role"/> here.</summary>
    public async Task ShareAsync(string username, string role)
    {
        using var added = await Client.SendAsync(WithJson(Accounts.Authorized(HttpMethod.Put, $"/api/workspaces/{Id}/members/{username}", AccessToken), new { role }));
        added.EnsureSuccessStatusCode();
    }

    private async Task WaitForStarterProjectAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var tree = await TreeAsync();
            if (StarterFiles.All(file => tree.ContainsKey(file)))
            {
                return;
            }
            await Task.Delay(100, deadline.Token);
        }
    }

    public HttpRequestMessage Request(HttpMethod method, string relative, string? token = null) =>
        Accounts.Authorized(method, $"/api/workspaces/{Id}/{relative}", token ?? AccessToken);

    /// <summary>
    /// A request whose target reaches the gateway exactly as written: <see cref="Uri"/> would
    /// otherwise resolve dot segments and turn backslashes into slashes on the client.
    /// </summary>
    public HttpRequestMessage RawRequest(HttpMethod method, string relative, string? token = null)
    {
        var target = new Uri($"{Client.BaseAddress!.GetLeftPart(UriPartial.Authority)}/api/workspaces/{Id}/{relative}",
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(method, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
        return request;
    }

    /// <summary>A path with each segment percent-encoded, so any character reaches the server as itself.</summary>
    public static string Escaped(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The user id (<c>sub</c>) an access token speaks for.</summary>
    public static string UserIdOf(string accessToken) => Jwt.Decode(accessToken).Payload.GetProperty("sub").GetString()!;

    public Task<HttpResponseMessage> PutAsync(string path, byte[] content, Action<HttpRequestHeaders>? headers = null, string? token = null)
    {
        var request = Request(HttpMethod.Put, $"files/{path}", token);
        request.Content = new ByteArrayContent(content);
        headers?.Invoke(request.Headers);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PutTextAsync(string path, string text, Action<HttpRequestHeaders>? headers = null, string? token = null) =>
        PutAsync(path, System.Text.Encoding.UTF8.GetBytes(text), headers, token);

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null, Action<HttpRequestHeaders>? headers = null)
    {
        var request = Request(HttpMethod.Get, $"files/{path}", token);
        headers?.Invoke(request.Headers);
        return Client.SendAsync(request);
    }

    /// <summary>The file's bytes, asserting that it is there.</summary>
    public async Task<byte[]> ReadBytesAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public Task<HttpResponseMessage> DeleteAsync(string path, Action<HttpRequestHeaders>? headers = null, string? token = null)
    {
        var request = Request(HttpMethod.Delete, $"files/{path}", token);
        headers?.Invoke(request.Headers);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> MakeDirectoryAsync(string path, string? token = null) => Client.SendAsync(Request(HttpMethod.Post, $"directories/{path}", token));

    public Task<HttpResponseMessage> MoveAsync(string from, string to, bool? overwrite = null, string? token = null) =>
        Client.SendAsync(WithJson(Request(HttpMethod.Post, "move", token), overwrite is null ? new { from, to } : new { from, to, overwrite }));

    /// <summary>The tree as path → entry.</summary>
    public async Task<Dictionary<string, JsonElement>> TreeAsync(string? token = null)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Get, "tree", token));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("entries").EnumerateArray().ToDictionary(entry => entry.GetProperty("path").GetString()!);
    }

    public static HttpRequestMessage WithJson(HttpRequestMessage request, object body)
    {
        request.Content = JsonContent.Create(body);
        return request;
    }

    public static void IfMatch(HttpRequestHeaders headers, long version) =>
        headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));

    public void Dispose() => Client.Dispose();
}
