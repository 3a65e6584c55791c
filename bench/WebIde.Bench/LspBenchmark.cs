using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WebIde.Bench;

/// <summary>
/// Language servers through the gateway's <c>/ws/lsp/{workspaceId}/{language}</c>, one language after
/// another, each on a fresh user and workspace with one socket open at a time: the time from opening
/// the socket to initialize's answer and to the first completion with items at a member access (empty
/// answers, a server still indexing, are asked again until a deadline); then warm completions at the
/// same place, each after typing a character and deleting it; then the resident memory of the
/// server's sandbox container as the Docker engine reports it.
/// </summary>
public static class LspBenchmark
{
    // services/Execution/Sandbox/SandboxLabels.cs: on every container the platform starts, and the workspace it serves.
    private const string ManagedLabel = "webide.managed=true";
    private const string WorkspaceLabel = "webide.workspace";

    private const string Typed = "a";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InitializeTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LateClose = TimeSpan.FromSeconds(1);

    // Between languages: the previous socket's server is being stopped and its container removed.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var samples = new List<LspSample>();
        foreach (var language in options.Languages)
        {
            if (LspSample.All.FirstOrDefault(sample => sample.Language == language) is not { } sample)
            {
                Console.Error.WriteLine($"no sample for language '{language}'; the languages with one: {string.Join(",", LspSample.All.Select(known => known.Language))}");
                return 2;
            }
            samples.Add(sample);
        }

        using var client = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromMinutes(2) };
        var (docker, noDocker) = await DockerEngine.OpenAsync();
        using var engine = docker;
        var plan = options.SocketOnly
            ? "socket and initialize only"
            : string.Create(CultureInfo.InvariantCulture, $"first completion within {options.FirstCompletionDeadline.TotalSeconds:F0} s, then {options.Completions} warm completions");
        Console.WriteLine($"lsp benchmark against {options.Gateway}: {string.Join(", ", samples.Select(sample => sample.Language))}, one socket at a time, each on a fresh user and workspace; {plan}; load average {LoadAverage()}");
        if (noDocker is not null)
        {
            Console.WriteLine($"  no memory figures: {noDocker}");
        }

        var results = new List<LspResult>();
        foreach (var sample in samples)
        {
            if (results.Count > 0)
            {
                await Task.Delay(Settle);
            }
            results.Add(await MeasureAsync(client, engine, sample, options));
        }

        Console.WriteLine();
        Console.WriteLine(LspResult.Header);
        foreach (var result in results)
        {
            Console.WriteLine(result);
        }
        Console.WriteLine();
        if (!options.SocketOnly)
        {
            Console.WriteLine($"targets: {Targets(results)}");
        }
        Console.WriteLine($"load average at the end {LoadAverage()}");
        return results.All(result => result.Ok) ? 0 : 1;
    }

    private static async Task<LspResult> MeasureAsync(HttpClient client, DockerEngine? docker, LspSample sample, BenchOptions options)
    {
        var result = new LspResult(sample.Language);
        Console.WriteLine($"{sample.Language}: load average {LoadAverage()}");
        try
        {
            var token = await PlatformClient.SignUpAsync(client);
            var workspace = await PlatformClient.CreateWorkspaceAsync(client, token, $"bench-lsp-{sample.Language}");
            if (!await PlatformClient.PutAsync(client, token, workspace, sample.Path, Encoding.UTF8.GetBytes(sample.Text)))
            {
                result.Failure = $"writing {sample.Path} failed";
                return result;
            }
            // Containers already running a server like this language's (an earlier language's, not yet removed):
            // not the one to measure, should the new one carry no workspace label.
            var serversBefore = docker is null ? [] : await ServerContainersAsync(docker, sample);

            var started = Stopwatch.GetTimestamp();
            await using var session = await LspSession.ConnectAsync(options.Gateway, workspace, sample.Language, token, ConnectTimeout);
            var connected = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var initialize = await session.RequestAsync("initialize", InitializeParams(), InitializeTimeout);
            result.InitializeMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            result.Server = ServerName(initialize);
            var capabilities = initialize.ValueKind == JsonValueKind.Object && initialize.TryGetProperty("capabilities", out var found) ? found : default;
            await session.NotifyAsync("initialized", new { });
            await session.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = sample.Uri, languageId = sample.LanguageId, version = 1, text = sample.Text } });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  socket open at {connected:F0} ms, initialize answered at {result.InitializeMilliseconds:F0} ms by {result.Server ?? "a server with no serverInfo"}; {DescribeCapabilities(capabilities)}"));

            if (options.SocketOnly)
            {
                // A refusal can come as a close right after the upgrade: give it a moment to arrive.
                await Task.Delay(LateClose);
                if (session.Closed is { } closed)
                {
                    throw new LspFailure(closed);
                }
                await session.ShutdownAsync();
                return result;
            }

            var completion = CompletionParams(sample, capabilities);
            await FirstCompletionAsync(session, sample, completion, result, started, options.FirstCompletionDeadline);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  first completion with `{sample.Expected}` at {result.FirstCompletionMilliseconds:F0} ms after {result.FirstCompletionTries} tries (the first with any items at {result.FirstItemsMilliseconds:F0} ms): {string.Join(", ", result.Labels)}"));

            await WarmCompletionsAsync(session, sample, SyncKind(capabilities), completion, result, options.Completions);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.WarmMilliseconds.Count} warm completions answered, {result.WarmErrors} errors; p50 {result.WarmPercentile(0.5):F1} ms; {session.Diagnostics} diagnostics notifications so far"));

            if (docker is not null)
            {
                var (container, how) = await ServerContainerAsync(docker, workspace, sample, serversBefore);
                if (container is not null && await docker.MemoryAsync(container.Id) is { } bytes)
                {
                    result.MemoryMebibytes = bytes / (1024.0 * 1024.0);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  memory: {(container is null ? "no container found" : $"container {container.Id[..12]} ({how}) {result.MemoryMebibytes:F1} MiB")}"));
            }
            if (session.RelayErrors.Count > 0)
            {
                Console.WriteLine($"  {session.RelayErrors.Count} JSON-RPC errors for no request (printed above)");
            }
            await session.ShutdownAsync();
        }
        catch (LspFailure failure)
        {
            result.Failure = failure.Message;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or WebSocketException)
        {
            result.Failure = $"{exception.GetType().Name}: {exception.Message}";
        }
        if (result.Failure is not null)
        {
            Console.WriteLine($"  FAILED: {result.Failure}");
        }
        return result;
    }

    /// <summary>
    /// Completions until one holds the expected item, a short pause after each that does not (empty, a
    /// server still indexing; or items from the text alone, as clangd gives while it parses the headers);
    /// a close ends it at once. The first answer with any items is noted too.
    /// </summary>
    private static async Task FirstCompletionAsync(LspSession session, LspSample sample, object completion, LspResult result, long started, TimeSpan deadline)
    {
        var asking = Stopwatch.GetTimestamp();
        var outcomes = new HashSet<string>();
        string? last = null;
        while (true)
        {
            var left = deadline - Stopwatch.GetElapsedTime(asking);
            if (left <= TimeSpan.Zero)
            {
                throw new LspFailure(string.Create(CultureInfo.InvariantCulture,
                    $"no completion with `{sample.Expected}` within {deadline.TotalSeconds:F0} s ({result.FirstCompletionTries} tries; the last: {last})"));
            }
            result.FirstCompletionTries++;
            try
            {
                var answer = await session.RequestAsync("textDocument/completion", completion, left);
                var answered = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var items = Items(answer);
                if (items.Count > 0)
                {
                    result.FirstItemsMilliseconds ??= answered;
                }
                if (Holds(items, sample.Expected))
                {
                    result.FirstCompletionMilliseconds = answered;
                    result.Labels = [.. items.Take(3).Select(item => Short(Label(item)))];
                    return;
                }
                last = items.Count == 0 ? "an empty list" : $"{items.Count} items without `{sample.Expected}`: {string.Join(", ", items.Take(3).Select(Label))}";
            }
            catch (LspFailure failure) when (session.Closed is null)
            {
                last = failure.Message;
            }
            if (outcomes.Add(last))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    try {result.FirstCompletionTries} at {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms: {last}; asking again"));
            }
            await Task.Delay(RetryPause);
        }
    }

    /// <summary>
    /// Each completion after two edits at the cursor, a character typed and deleted, as the editor sends
    /// them (incremental when the server takes that, else the whole text): the version moves, the text
    /// is back where it was. Only the completion is timed.
    /// </summary>
    private static async Task WarmCompletionsAsync(LspSession session, LspSample sample, int syncKind, object completion, LspResult result, int count)
    {
        var version = 1;
        var cursor = new { line = sample.CursorLine, character = sample.CursorCharacter };
        var afterTyped = new { line = sample.CursorLine, character = sample.CursorCharacter + Typed.Length };
        object[] typed = syncKind == 2
            ? [new { range = new { start = cursor, end = cursor }, text = Typed }]
            : [new { text = sample.BeforeCursor + Typed + sample.AfterCursor }];
        object[] deleted = syncKind == 2
            ? [new { range = new { start = cursor, end = afterTyped }, text = "" }]
            : [new { text = sample.Text }];
        for (var i = 0; i < count; i++)
        {
            // A keystroke's worth (two edits and a completion) every 40 ms at most: 25 keys a second, faster than
            // anyone types, and under the socket's 100 messages a second (docs/api.md §6), which a bench at full
            // speed would pass and be closed for.
            var keystroke = Task.Delay(KeystrokeInterval);
            if (syncKind != 0)
            {
                await session.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = sample.Uri, version = ++version }, contentChanges = typed });
                await session.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = sample.Uri, version = ++version }, contentChanges = deleted });
            }
            var sent = Stopwatch.GetTimestamp();
            try
            {
                var answer = await session.RequestAsync("textDocument/completion", completion, WarmTimeout);
                result.WarmMilliseconds.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                var items = Items(answer);
                if (!Holds(items, sample.Expected))
                {
                    result.WarmErrors++;
                    Console.WriteLine($"    warm completion {i + 1}: {items.Count} items, without `{sample.Expected}`");
                }
            }
            catch (LspFailure failure) when (session.Closed is null)
            {
                result.WarmErrors++;
                Console.WriteLine($"    warm completion {i + 1}: {failure.Message}");
            }
            await keystroke;
        }
    }

    private static readonly TimeSpan KeystrokeInterval = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// The sandbox container of the language's server: the one with the workspace's label (the workspace
    /// is new, so it appeared with the socket); failing that, one that runs a process of a server like
    /// this language's and did not before the socket opened.
    /// </summary>
    private static async Task<(DockerContainer? Container, string How)> ServerContainerAsync(DockerEngine docker, string workspace, LspSample sample, IReadOnlySet<string> serversBefore)
    {
        var labelled = await docker.RunningAsync(ManagedLabel, $"{WorkspaceLabel}={workspace}");
        if (labelled.Count == 1)
        {
            return (labelled[0], "the workspace's label");
        }
        if (labelled.Count > 1)
        {
            foreach (var container in labelled.OrderByDescending(container => container.Created))
            {
                if (await RunsServerAsync(docker, container, sample))
                {
                    return (container, $"the workspace's label and a server process, of {labelled.Count} with the label");
                }
            }
            return (labelled.MaxBy(container => container.Created), $"the newest of {labelled.Count} with the workspace's label");
        }
        var servers = (await ServerContainersAsync(docker, sample)).Except(serversBefore).ToList();
        return servers.Count == 0
            ? (null, "")
            : (new DockerContainer(servers[0], 0, new Dictionary<string, string>()), $"no workspace label: a server process, in 1 of {servers.Count} new such containers");
    }

    private static async Task<HashSet<string>> ServerContainersAsync(DockerEngine docker, LspSample sample)
    {
        var ids = new HashSet<string>();
        foreach (var container in await docker.RunningAsync(ManagedLabel))
        {
            if (await RunsServerAsync(docker, container, sample))
            {
                ids.Add(container.Id);
            }
        }
        return ids;
    }

    private static async Task<bool> RunsServerAsync(DockerEngine docker, DockerContainer container, LspSample sample) =>
        (await docker.ProcessesAsync(container.Id)).Any(command => sample.ServerProcesses.Any(name => command.Contains(name, StringComparison.Ordinal)));

    /// <summary>What an editor's LSP client says of itself: the workspace root, UTF-16 positions, completion with snippets and context.</summary>
    private static object InitializeParams() => new
    {
        processId = (int?)null,
        clientInfo = new { name = "WebIde.Bench" },
        locale = "en",
        rootPath = "/workspace",
        rootUri = "file:///workspace",
        workspaceFolders = new[] { new { uri = "file:///workspace", name = "workspace" } },
        capabilities = new
        {
            general = new { positionEncodings = new[] { "utf-16" } },
            workspace = new { workspaceFolders = true, configuration = true, applyEdit = false },
            window = new { workDoneProgress = true },
            textDocument = new
            {
                synchronization = new { dynamicRegistration = false, didSave = true, willSave = false, willSaveWaitUntil = false },
                completion = new
                {
                    dynamicRegistration = false,
                    contextSupport = true,
                    completionItem = new
                    {
                        snippetSupport = true,
                        labelDetailsSupport = true,
                        documentationFormat = new[] { "markdown", "plaintext" },
                        resolveSupport = new { properties = new[] { "documentation", "detail" } },
                    },
                },
                hover = new { contentFormat = new[] { "markdown", "plaintext" } },
                publishDiagnostics = new { relatedInformation = true },
            },
        },
    };

    /// <summary>At the cursor; as typed (trigger character) when the character before it is one of the server's, else invoked.</summary>
    private static object CompletionParams(LspSample sample, JsonElement capabilities)
    {
        var triggers = capabilities.ValueKind == JsonValueKind.Object
            && capabilities.TryGetProperty("completionProvider", out var provider) && provider.ValueKind == JsonValueKind.Object
            && provider.TryGetProperty("triggerCharacters", out var characters) && characters.ValueKind == JsonValueKind.Array
                ? characters.EnumerateArray().Select(character => character.GetString()).ToHashSet()
                : [];
        var before = sample.BeforeCursorCharacter.ToString();
        object context = triggers.Contains(before) ? new { triggerKind = 2, triggerCharacter = before } : new { triggerKind = 1 };
        return new
        {
            textDocument = new { uri = sample.Uri },
            position = new { line = sample.CursorLine, character = sample.CursorCharacter },
            context,
        };
    }

    /// <summary>0 none, 1 the whole text, 2 incremental (LSP's TextDocumentSyncKind); a number or an options object.</summary>
    private static int SyncKind(JsonElement capabilities)
    {
        if (capabilities.ValueKind != JsonValueKind.Object || !capabilities.TryGetProperty("textDocumentSync", out var sync))
        {
            return 0;
        }
        return sync.ValueKind switch
        {
            JsonValueKind.Number => sync.GetInt32(),
            JsonValueKind.Object when sync.TryGetProperty("change", out var change) && change.ValueKind == JsonValueKind.Number => change.GetInt32(),
            _ => 0,
        };
    }

    private static string DescribeCapabilities(JsonElement capabilities)
    {
        if (capabilities.ValueKind != JsonValueKind.Object)
        {
            return "no capabilities in the answer";
        }
        var completion = !capabilities.TryGetProperty("completionProvider", out var provider) ? "no completion"
            : provider.ValueKind == JsonValueKind.Object && provider.TryGetProperty("triggerCharacters", out var triggers) ? $"completion on {triggers.GetRawText()}"
            : "completion";
        var sync = SyncKind(capabilities) switch { 1 => "whole-text sync", 2 => "incremental sync", _ => "no sync" };
        return $"{completion}, {sync}";
    }

    private static string? ServerName(JsonElement initialize) =>
        initialize.ValueKind == JsonValueKind.Object && initialize.TryGetProperty("serverInfo", out var info)
        && info.ValueKind == JsonValueKind.Object && info.TryGetProperty("name", out var name)
            ? info.TryGetProperty("version", out var version) ? $"{name.GetString()} {version.GetString()}" : name.GetString()
            : null;

    /// <summary>A completion answer's items: <c>CompletionItem[]</c>, a <c>CompletionList</c>, or null.</summary>
    private static IReadOnlyList<JsonElement> Items(JsonElement answer) => answer.ValueKind switch
    {
        JsonValueKind.Array => [.. answer.EnumerateArray()],
        JsonValueKind.Object when answer.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array => [.. items.EnumerateArray()],
        _ => [],
    };

    /// <summary>Whether an item completes to <paramref name="expected"/>: its filter text or label starts with it (clangd's labels carry the signature).</summary>
    private static bool Holds(IReadOnlyList<JsonElement> items, string expected) =>
        items.Any(item => Label(item).StartsWith(expected, StringComparison.Ordinal)
            || (item.TryGetProperty("filterText", out var filter) && filter.ValueKind == JsonValueKind.String && filter.GetString()!.Trim().StartsWith(expected, StringComparison.Ordinal)));

    private static string Label(JsonElement item) =>
        item.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.String ? label.GetString()!.Trim().TrimStart('•').Trim() : "?";

    private static string Short(string label) => label.Length <= 32 ? label : label[..32] + "…";

    private static string Targets(IReadOnlyList<LspResult> results)
    {
        var parts = new List<string>();
        foreach (var result in results.Where(result => result.Language is "python" or "typescript"))
        {
            parts.Add($"{result.Language} warm p50 ≤ 100 ms: {Verdict(result.WarmPercentile(0.5), 100, "F1")}");
        }
        foreach (var result in results)
        {
            parts.Add($"{result.Language} first completion ≤ 3000 ms: {Verdict(result.FirstCompletionMilliseconds ?? double.NaN, 3000, "F0")}");
        }
        return string.Join("; ", parts);
    }

    private static string Verdict(double milliseconds, double target, string format) =>
        double.IsNaN(milliseconds) ? "not measured"
        : $"{milliseconds.ToString(format, CultureInfo.InvariantCulture)} ms, {(milliseconds <= target ? "met" : "missed")}";

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
