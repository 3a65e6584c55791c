using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebIde.IntegrationTests.Files;

namespace WebIde.IntegrationTests.Execution;

/// <summary>A workspace to run code in, reached through the gateway: files written over REST, runs and checks posted there.</summary>
public sealed class ExecWorkspace : IDisposable
{
    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static ExecWorkspace? _shared;

    private ExecWorkspace(FileWorkspace files) => Files = files;

    public FileWorkspace Files { get; }

    public string Id => Files.Id;

    public string AccessToken => Files.AccessToken;

    public static async Task<ExecWorkspace> CreateAsync(string prefix = "exec") => new(await FileWorkspace.CreateAsync(prefix));

    /// <summary>
    /// One workspace holding all nine programs, each in its own folder, written once for every
    /// test that only runs them: writing the files is not what these tests are about.
    /// </summary>
    public static async Task<ExecWorkspace> AllLanguagesAsync()
    {
        await SharedLock.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var workspace = await CreateAsync("exec-langs");
                foreach (var program in LanguagePrograms.All)
                {
                    await workspace.WriteProgramAsync(program, program.Folder);
                }
                _shared = workspace;
            }
            return _shared;
        }
        finally
        {
            SharedLock.Release();
        }
    }

    public async Task WriteAsync(string path, string text)
    {
        using var written = await Files.PutTextAsync(path, text);
        Assert.That(written.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), $"{path}: {await written.Content.ReadAsStringAsync()}");
    }

    public async Task WriteProgramAsync(LanguageProgram program, string folder)
    {
        foreach (var (path, text) in program.Files)
        {
            await WriteAsync($"{folder}/{path}", text);
        }
    }

    public async Task<HttpResponseMessage> PostRunAsync(object body, string? token = null) =>
        await Files.Client.SendAsync(FileWorkspace.WithJson(Files.Request(HttpMethod.Post, "runs", token), body));

    /// <summary>A run that the service accepted: its answer, asserting 200.</summary>
    public async Task<RestRun> RunAsync(object body, string? token = null)
    {
        using var response = await PostRunAsync(body, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return new RestRun(JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<HttpResponseMessage> PostCheckAsync(object body, string? token = null) =>
        await Files.Client.SendAsync(FileWorkspace.WithJson(Files.Request(HttpMethod.Post, "check", token), body));

    /// <summary>The diagnostics of one file, asserting 200.</summary>
    public async Task<IReadOnlyList<JsonElement>> CheckAsync(string path)
    {
        using var response = await PostCheckAsync(new { path });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("diagnostics").EnumerateArray()];
    }

    public void Dispose()
    {
        // The shared workspace lives as long as the test run.
        if (!ReferenceEquals(this, _shared))
        {
            Files.Dispose();
        }
    }
}

/// <summary>The answer of <c>POST /api/workspaces/{id}/runs</c>.</summary>
public sealed record RestRun(JsonElement Body)
{
    public string Status => Body.GetProperty("status").GetString()!;

    public int ExitCode => Body.GetProperty("exitCode").GetInt32();

    public string Stdout => Body.GetProperty("stdout").GetString()!;

    public string Stderr => Body.GetProperty("stderr").GetString()!;

    public override string ToString() => Body.GetRawText();
}
