using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;
using ExecutionClient = WebIde.Contracts.Execution.V1.Execution.ExecutionClient;
using ProjectFiles = WebIde.Contracts.Execution.V1.Files;

namespace WebIde.IntegrationTests.Execution.Abuse;

/// <summary>
/// One user starting 50 runs at once gets a few at a time and clean refusals for the rest,
/// while somebody else's run goes straight through.
/// </summary>
[Order(10)]
public sealed class FairnessTests
{
    private const int Burst = 50;
    private const string Sleeper = "import time\ntime.sleep(1)\nprint('slept')\n";

    private AbuseWorkspace _greedy = null!;
    private AbuseWorkspace _bystander = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspacesAsync()
    {
        _greedy = await AbuseWorkspace.CreateAsync("greedy");
        _bystander = await AbuseWorkspace.CreateAsync("bystander");
        await _greedy.WriteAsync("sleep.py", Sleeper);
        await _bystander.WriteAsync("hello.py", "print('bystander served')\n");
    }

    [OneTimeTearDown]
    public void DisposeWorkspaces()
    {
        _greedy.Dispose();
        _bystander.Dispose();
    }

    [Test]
    public async Task FiftyRestRunsAtOnceAreServedAFewAtATimeAndTheRestRefusedWith429()
    {
        var clock = Stopwatch.StartNew();
        var burst = Enumerable.Range(0, Burst).Select(_ => AnswerAsync(_greedy, "sleep.py")).ToList();
        // Once the burst holds the user's slots and queue (its first refusal says so), somebody else asks.
        await FirstRefusalAsync(burst);
        var bystander = await _bystander.RunEntryAsync("hello.py");
        var bystanderDone = clock.Elapsed;
        var answers = await Task.WhenAll(burst);
        var burstDone = clock.Elapsed;

        var served = answers.Where(answer => answer.Code == HttpStatusCode.OK).ToList();
        var refused = answers.Where(answer => answer.Code == HttpStatusCode.TooManyRequests).ToList();
        var summary = string.Join("; ", answers.GroupBy(answer => $"{(int)answer.Code} {answer.Status}").Select(group => $"{group.Key} ×{group.Count()}"));
        await TestContext.Out.WriteLineAsync($"burst: {summary}; over after {burstDone}; bystander served after {bystanderDone} ({bystander})");
        Assert.Multiple(() =>
        {
            Assert.That(answers.Where(answer => (int)answer.Code >= 500), Is.Empty, summary);
            Assert.That(served.Count + refused.Count, Is.EqualTo(Burst), summary);
            Assert.That(served, Has.Count.GreaterThanOrEqualTo(4), summary);
            Assert.That(refused, Is.Not.Empty, summary);
            Assert.That(served.Select(answer => answer.Status), Has.All.EqualTo("ok"), summary);
            Assert.That(served.Select(answer => answer.Stdout), Has.All.EqualTo("slept\n"), summary);
            foreach (var answer in refused)
            {
                Assert.That(answer.RetryAfter, Is.Not.Null.And.GreaterThan(TimeSpan.Zero), "429 without Retry-After");
                Assert.That(answer.ContentType, Is.EqualTo("application/problem+json"));
                Assert.That(answer.Title, Is.EqualTo("Too many runs"), "refused by the execution service's admission, not the gateway's request budget");
            }

            Assert.That(bystander.Status, Is.EqualTo("ok"), bystander.ToString());
            Assert.That(bystander.Stdout, Is.EqualTo("bystander served\n"));
            // Served while the burst was still being worked through, not after it.
            Assert.That(bystanderDone, Is.LessThan(burstDone), $"bystander after {bystanderDone}, burst over after {burstDone}");
        });
        await _greedy.AssertNextRunIsHealthyAsync();
    }

    [Test]
    public async Task FiftyGrpcRunsAtOnceAreServedAFewAtATimeAndTheRestRefusedAsResourceExhausted()
    {
        using var channel = GatewayTls.GrpcChannel();
        var client = new ExecutionClient(channel);
        var headers = new Metadata { { "authorization", $"Bearer {_greedy.AccessToken}" } };
        var request = new RunRequest
        {
            Language = "python",
            Entry = "sleep.py",
            Files = new ProjectFiles { Files_ = { new SourceFile { Path = "sleep.py", Content = ByteString.CopyFromUtf8(Sleeper) } } },
        };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => GrpcRunAsync(client, request, headers)));

        var summary = string.Join("; ", outcomes.GroupBy(outcome => outcome).Select(group => $"{group.Key.Trim()} ×{group.Count()}"));
        await TestContext.Out.WriteLineAsync($"grpc burst: {summary}");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes, Has.All.Matches<string>(outcome => outcome is "Ok slept\n" or nameof(StatusCode.ResourceExhausted)), summary);
            Assert.That(outcomes.Count(outcome => outcome == nameof(StatusCode.ResourceExhausted)), Is.GreaterThan(0), summary);
            Assert.That(outcomes.Count(outcome => outcome.StartsWith("Ok ", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(4), summary);
        });
        await _greedy.AssertNextRunIsHealthyAsync();
    }

    /// <summary>Until one answer of the burst is a refusal, or all are in (the assertions then say what came).</summary>
    private static async Task FirstRefusalAsync(IReadOnlyList<Task<BurstAnswer>> burst)
    {
        using var deadline = new CancellationTokenSource(AbuseWorkspace.RunDeadline);
        while (!burst.All(answer => answer.IsCompleted)
            && !burst.Any(answer => answer.IsCompletedSuccessfully && answer.Result.Code == HttpStatusCode.TooManyRequests))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }

    /// <summary>"Ok slept\n" style for a run that was served, the status code's name for a call that failed.</summary>
    private static async Task<string> GrpcRunAsync(ExecutionClient client, RunRequest request, Metadata headers)
    {
        try
        {
            using var call = client.Run(request, headers, DateTime.UtcNow.Add(AbuseWorkspace.RunDeadline));
            var stdout = new StringBuilder();
            var status = "no exited event";
            await foreach (var runEvent in call.ResponseStream.ReadAllAsync())
            {
                if (runEvent.EventCase == RunEvent.EventOneofCase.Stdout)
                {
                    stdout.Append(runEvent.Stdout.ToStringUtf8());
                }
                else if (runEvent.EventCase == RunEvent.EventOneofCase.Exited)
                {
                    status = runEvent.Exited.Status.ToString();
                }
            }
            return $"{status} {stdout}";
        }
        catch (RpcException exception)
        {
            return exception.StatusCode.ToString();
        }
    }

    private static async Task<BurstAnswer> AnswerAsync(AbuseWorkspace workspace, string entry)
    {
        var (response, outcome) = await workspace.PostRunAsync(entry);
        using (response)
        {
            string? title = null;
            if (outcome is null && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                title = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
            }
            return new BurstAnswer(response.StatusCode, outcome?.Status, outcome?.Stdout, response.Headers.RetryAfter?.Delta,
                response.Content.Headers.ContentType?.MediaType, title);
        }
    }

    private sealed record BurstAnswer(HttpStatusCode Code, string? Status, string? Stdout, TimeSpan? RetryAfter, string? ContentType, string? Title);
}
