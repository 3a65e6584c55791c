using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Tests.Shared.Aspire;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// An acknowledged write is on disk: the filesystem process is killed outright (SIGKILL)
/// while writers keep writing through the gateway, and afterwards every write that was
/// answered 2xx, before or after the kill, reads back exactly.
/// </summary>
/// <remarks>
/// A killed process leaves the kernel's page cache behind, so this shows that the service
/// answers only after its commit and keeps nothing acknowledged only in memory or in Redis;
/// that a commit reaches the disk (<c>synchronous=FULL</c>) only a power cut would test.
/// </remarks>
public sealed class FileDurabilityTests
{
    private const int FileCount = 1000;
    private const int KillAfterAcknowledged = 300;
    private const int Writers = 6;

    // The test platform's quota is 400 entries a workspace: the files are spread over four.
    private const int WorkspaceCount = 4;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    private sealed record PlannedWrite(FileWorkspace Workspace, string Path, string Content);

    [Test]
    public async Task KillingTheFileSystemDuringAThousandAcknowledgedWritesLosesNone()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var workspaces = new List<FileWorkspace>();
        for (var index = 0; index < WorkspaceCount; index++)
        {
            workspaces.Add(await FileWorkspace.CreateAsync($"durable{index}"));
        }
        try
        {
            await RunAsync(workspaces, deadline.Token);
        }
        finally
        {
            workspaces.ForEach(workspace => workspace.Dispose());
        }
    }

    private static async Task RunAsync(List<FileWorkspace> workspaces, CancellationToken cancellationToken)
    {
        // Each content is unique, so a file holding another's content (or an older one) shows.
        var plan = Enumerable.Range(0, FileCount)
            .Select(index => workspaces[index % WorkspaceCount])
            .Select((workspace, index) => new PlannedWrite(workspace, $"f{index:D4}.txt", $"f{index:D4}.txt in {workspace.Id}: {Guid.NewGuid()}\n"))
            .ToList();
        var pending = new ConcurrentQueue<PlannedWrite>(plan);
        var acknowledged = new ConcurrentDictionary<PlannedWrite, long>();
        var failures = new ConcurrentDictionary<string, int>();
        var everFailed = new ConcurrentDictionary<PlannedWrite, bool>();
        var clock = Stopwatch.StartNew();
        long killedAt = -1;
        long firstAcknowledgedAfterKill = -1;

        async Task WriteAsync()
        {
            while (pending.TryDequeue(out var write))
            {
                // Until it is acknowledged: an answer that is not 2xx (or no answer) proves nothing either way.
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var sentAt = clock.ElapsedTicks;
                    var failure = await PutAsync(write, cancellationToken);
                    if (failure is null)
                    {
                        var at = clock.ElapsedTicks;
                        acknowledged[write] = at;
                        var kill = Interlocked.Read(ref killedAt);
                        if (kill >= 0 && sentAt > kill)
                        {
                            Interlocked.CompareExchange(ref firstAcknowledgedAfterKill, at, -1);
                        }
                        break;
                    }
                    failures.AddOrUpdate(failure, 1, (_, count) => count + 1);
                    everFailed[write] = true;
                    await Task.Delay(RetryPause, cancellationToken);
                }
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync, cancellationToken)).ToList();

        while (acknowledged.Count < KillAfterAcknowledged)
        {
            await Task.Delay(5, cancellationToken);
        }
        var pid = FileSystemProcess.Find();
        var killed = ProcessTable.Mark("filesystem");
        Interlocked.Exchange(ref killedAt, clock.ElapsedTicks);
        var acknowledgedBeforeKill = acknowledged.Count;
        await FileSystemProcess.KillAsync(pid);
        await TestContext.Progress.WriteLineAsync($"[durability] killed filesystem (pid {pid}) after {acknowledgedBeforeKill} acknowledged writes");

        var howRestarted = await BringBackAsync(killed, cancellationToken);
        var backAt = clock.ElapsedTicks;
        await Task.WhenAll(writers);
        // Answers in flight at the kill: committed before it, answered by the dying process.
        var acknowledgedWhileDown = acknowledged.Values.Count(at => at > killedAt && at < backAt);

        static TimeSpan Between(long from, long to) => TimeSpan.FromTicks((to - from) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        var backAfter = Between(killedAt, backAt);
        var outage = Between(killedAt, firstAcknowledgedAfterKill);
        var report = new StringBuilder()
            .AppendLine($"[durability] {FileCount} files, {Writers} writers, {WorkspaceCount} workspaces")
            .AppendLine($"[durability] acknowledged before the kill: {acknowledgedBeforeKill}; answered 2xx after the signal, before the restart: {acknowledgedWhileDown}")
            .AppendLine($"[durability] failed attempts (each retried until acknowledged): {failures.Values.Sum()} on {everFailed.Count} files — {string.Join(", ", failures.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} ×{pair.Value}"))}")
            .AppendLine($"[durability] {howRestarted}; answering /health again {backAfter.TotalSeconds:F1} s after the kill")
            .AppendLine($"[durability] outage seen by writers (kill → first acknowledged write sent after it): {outage.TotalSeconds:F1} s")
            .ToString();
        await TestContext.Progress.WriteAsync(report);
        await TestContext.Out.WriteAsync(report);

        Assert.That(acknowledged, Has.Count.EqualTo(FileCount), "every write was acknowledged in the end");
        Assert.That(firstAcknowledgedAfterKill, Is.GreaterThan(killedAt), "writes were acknowledged after the service came back");

        // The store itself, on filesystem's gRPC endpoint: REST reads may be answered from the
        // Redis cache, which outlived the process, and would hide a write the store lost.
        var stored = new Dictionary<(string Workspace, string Path), string>();
        using (var grpc = new FileSystemGrpc())
        {
            foreach (var workspace in workspaces)
            {
                using var call = grpc.Files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspace.Id }, await FileSystemGrpc.AsServiceAsync());
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    var key = (workspace.Id, chunk.Path);
                    stored[key] = stored.GetValueOrDefault(key, "") + chunk.Data.ToStringUtf8();
                }
            }
        }
        var missingFromStore = acknowledged.Keys.Where(write => !stored.ContainsKey((write.Workspace.Id, write.Path))).Select(write => write.Path).Order().ToList();
        var wrongInStore = acknowledged.Keys.Where(write => stored.TryGetValue((write.Workspace.Id, write.Path), out var content) && content != write.Content).Select(write => write.Path).Order().ToList();

        // And what a user reads through the gateway.
        var wrongThroughGateway = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged.Keys, new ParallelOptions { MaxDegreeOfParallelism = Writers, CancellationToken = cancellationToken }, async (write, token) =>
        {
            var (status, content) = await GetAsync(write, token);
            if (status != HttpStatusCode.OK || content != write.Content)
            {
                wrongThroughGateway.Add($"{write.Path}: {(int)status}");
            }
        });

        Assert.Multiple(() =>
        {
            Assert.That(missingFromStore, Is.Empty, "acknowledged, missing from the store");
            Assert.That(wrongInStore, Is.Empty, "acknowledged, other content in the store");
            Assert.That(wrongThroughGateway.Order(), Is.Empty, "acknowledged, not read back through the gateway");
            Assert.That(stored.Count, Is.EqualTo(FileCount + (WorkspaceCount * FileWorkspace.StarterFiles.Length)), "nothing else in the workspaces");
        });
    }

    /// <summary>Null when the write was acknowledged (2xx), else what went wrong.</summary>
    private static async Task<string?> PutAsync(PlannedWrite write, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = write.Workspace.Request(HttpMethod.Put, $"files/{write.Path}");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(write.Content));
        try
        {
            using var response = await write.Workspace.Client.SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException error)
        {
            return error.HttpRequestError.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
    }

    /// <summary>A read through the gateway; a request budget refusal (429) is waited out, not counted.</summary>
    private static async Task<(HttpStatusCode Status, string Content)> GetAsync(PlannedWrite write, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var response = await write.Workspace.Client.SendAsync(write.Workspace.Request(HttpMethod.Get, $"files/{write.Path}"), cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    /// <summary>
    /// Brings the killed service back: the AppHost starts it again by itself after about a second
    /// (WebIde:RestartOnExit), and when the process is only seen to have finished it is started as
    /// an operator would, with the resource's start command. Back means
    /// answering its own <c>/health</c>: the AppHost gives filesystem no health check, so the
    /// orchestrator's "Healthy" only says the process runs. A restarted process is told from the
    /// killed one by its pid (see ResourceProcess).
    /// </summary>
    private static async Task<string> BringBackAsync(ProcessMark killed, CancellationToken cancellationToken)
    {
        var seen = await ProcessTable.WaitForAsync(
            "filesystem",
            $"the end of {killed}, or a new process",
            snapshot => ResourceProcess.IsNewSince(snapshot, killed) || ResourceProcess.HasEnded(snapshot),
            cancellationToken);

        var how = "restarted by the orchestrator by itself";
        if (!ResourceProcess.IsNewSince(seen, killed))
        {
            how = $"reported {seen.State?.Text} (exit code {seen.ExitCode}), started again with the start command";
            var commands = Platform.App.Services.GetRequiredService<ResourceCommandService>();
            var started = await commands.ExecuteCommandAsync("filesystem", KnownResourceCommands.StartCommand, cancellationToken);
            Assert.That(started.Success, Is.True, started.Message);
        }

        using var health = new HttpClient { BaseAddress = Platform.App.GetEndpoint("filesystem", "http"), Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            try
            {
                using var response = await health.GetAsync("/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return how;
                }
            }
            catch (Exception error) when (error is HttpRequestException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not up yet.
            }
            await Task.Delay(50, cancellationToken);
        }
    }
}
