using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using WebIde.IntegrationTests.Files;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// A workspace of its own user for hostile programs: each program is written into the
/// workspace and run once over REST, as the IDE's run button does. Every container a
/// program names (from where its /etc/hostname comes from: its jail has a cgroup namespace of
/// its own, so the cgroup path no longer tells) is remembered, so the suite can check at the
/// end that none of them outlived its run.
/// </summary>
public sealed partial class AbuseWorkspace : IDisposable
{
    /// <summary>
    /// First line of a Python program that names the container it runs in: the engine bind-mounts
    /// /etc/hostname from the container's own folder (…/containers/&lt;id&gt;/hostname), and the jail
    /// keeps that mount, root field and all.
    /// </summary>
    public const string PythonPrelude = "print('sandbox', next(line.split()[3] for line in open('/proc/self/mountinfo') if line.split()[4] == '/etc/hostname'), flush=True)\n";

    /// <summary>First line of a bash program that names the container it runs in.</summary>
    public const string BashPrelude = "echo \"sandbox $(awk '$5 == \"/etc/hostname\" { print $4; exit }' /proc/self/mountinfo)\"\n";

    public static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);

    // Container id → the workspaces (each of a user of its own) whose runs it served.
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> SandboxesNamed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> WorkspacesUsed = new(StringComparer.Ordinal);

    private readonly FileWorkspace _workspace;
    private bool _helloWritten;

    private AbuseWorkspace(FileWorkspace workspace) => _workspace = workspace;

    public string Id => _workspace.Id;

    public string AccessToken => _workspace.AccessToken;

    public HttpClient Client => _workspace.Client;

    /// <summary>Containers that hostile programs ran in, by id.</summary>
    public static IReadOnlyCollection<string> Sandboxes => [.. SandboxesNamed.Keys];

    /// <summary>Containers whose runs came from more than one workspace, each of another user: there must never be one.</summary>
    public static IReadOnlyDictionary<string, string[]> SharedSandboxes =>
        SandboxesNamed.Where(named => named.Value.Count > 1).ToDictionary(named => named.Key, named => named.Value.Keys.ToArray());

    /// <summary>Containers this workspace's user's runs were served by.</summary>
    public IReadOnlyCollection<string> SandboxesUsed => [.. SandboxesNamed.Where(named => named.Value.ContainsKey(Id)).Select(named => named.Key)];

    /// <summary>Workspaces the abuse suite ran programs in.</summary>
    public static IReadOnlyCollection<string> Workspaces => [.. WorkspacesUsed.Keys];

    public static async Task<AbuseWorkspace> CreateAsync(string prefix)
    {
        var workspace = new AbuseWorkspace(await FileWorkspace.CreateAsync(prefix));
        WorkspacesUsed[workspace.Id] = 0;
        return workspace;
    }

    public async Task WriteAsync(string path, string source)
    {
        using var written = await _workspace.PutTextAsync(path, source);
        Assert.That(written.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await written.Content.ReadAsStringAsync());
    }

    /// <summary>Writes <paramref name="source"/> to <paramref name="path"/> and runs it; the run must be answered with 200.</summary>
    public async Task<RunOutcome> RunAsync(string path, string source, object? limits = null)
    {
        await WriteAsync(path, source);
        return await RunEntryAsync(path, limits);
    }

    public async Task<RunOutcome> RunEntryAsync(string entry, object? limits = null)
    {
        var (response, outcome) = await PostRunAsync(entry, limits);
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
        return outcome!;
    }

    /// <summary>One REST run: the raw answer, and the outcome when it was a 200.</summary>
    public async Task<(HttpResponseMessage Response, RunOutcome? Outcome)> PostRunAsync(string entry, object? limits = null)
    {
        using var deadline = new CancellationTokenSource(RunDeadline);
        var request = FileWorkspace.WithJson(_workspace.Request(HttpMethod.Post, "runs"), limits is null ? new { entry } : new { entry, limits });
        var clock = Stopwatch.StartNew();
        var response = await _workspace.Client.SendAsync(request, deadline.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response, null);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(deadline.Token);
        clock.Stop();
        var outcome = new RunOutcome(
            body.GetProperty("status").GetString()!,
            body.GetProperty("exitCode").GetInt32(),
            body.GetProperty("stdout").GetString()!,
            body.GetProperty("stderr").GetString()!,
            body.GetProperty("wallTimeMs").GetInt64(),
            body.GetProperty("peakMemoryBytes").GetInt64(),
            body.GetProperty("outputTruncated").GetBoolean(),
            clock.Elapsed);
        foreach (Match match in ContainerId().Matches(outcome.Stdout))
        {
            SandboxesNamed.GetOrAdd(match.Groups[1].Value, _ => new(StringComparer.Ordinal))[Id] = 0;
        }
        return (response, outcome);
    }

    /// <summary>
    /// What every abuse case ends with: the same user's next run is served as if nothing had
    /// happened — promptly, with its output whole.
    /// </summary>
    public async Task AssertNextRunIsHealthyAsync()
    {
        if (!_helloWritten)
        {
            await WriteAsync("hello.py", "print('hello after abuse')\n");
            _helloWritten = true;
        }

        var next = await RunEntryAsync("hello.py");

        Assert.Multiple(() =>
        {
            Assert.That(next.Status, Is.EqualTo("ok"), next.ToString());
            Assert.That(next.Stdout, Is.EqualTo("hello after abuse\n"));
            Assert.That(next.Stderr, Is.Empty);
            // The sandbox's own clock, generous for a loaded two-core machine: a sandbox that
            // was still busy would take far longer. The answer's time seen from here is not
            // asserted: it counts whatever else the machine does (the run has RunDeadline).
            Assert.That(next.WallTimeMs, Is.LessThan(5_000));
        });
    }

    /// <summary>The container id a program printed with one of the preludes (null when it printed none).</summary>
    public static string? ContainerOf(string stdout) => ContainerId().Match(stdout) is { Success: true } match ? match.Groups[1].Value : null;

    public void Dispose() => _workspace.Dispose();

    [GeneratedRegex("/containers/([0-9a-f]{64})/")]
    private static partial Regex ContainerId();
}

/// <summary>A run's answer, plus how long the caller waited for it.</summary>
public sealed record RunOutcome(string Status, int ExitCode, string Stdout, string Stderr, long WallTimeMs, long PeakMemoryBytes, bool OutputTruncated, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"status {Status}, exit {ExitCode}, wall {WallTimeMs} ms, peak {PeakMemoryBytes} B, truncated {OutputTruncated}, waited {Elapsed.TotalMilliseconds:0} ms; stdout: {Clip(Stdout)}; stderr: {Clip(Stderr)}";

    private static string Clip(string text) => text.Length <= 600 ? text : $"{text[..300]} … {text[^300..]}";
}
