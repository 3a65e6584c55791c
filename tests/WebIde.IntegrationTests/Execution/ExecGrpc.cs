using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using WebIde.Contracts.Execution.V1;
using ExecutionClient = WebIde.Contracts.Execution.V1.Execution.ExecutionClient;
using ProjectFiles = WebIde.Contracts.Execution.V1.Files;

namespace WebIde.IntegrationTests.Execution;

/// <summary>A client of <c>webide.execution.v1.Execution</c> at the gateway's gRPC listener, as another service calls it.</summary>
public sealed class ExecGrpc : IDisposable
{
    private readonly GrpcChannel _channel = GatewayTls.GrpcChannel();

    public ExecGrpc() => Client = new ExecutionClient(_channel);

    public ExecutionClient Client { get; }

    /// <summary>Call options with <c>authorization: Bearer</c> and a deadline generous enough for a compiled language on a busy machine.</summary>
    public static CallOptions As(string? token, int seconds = 90) =>
        new(token is null ? [] : new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.AddSeconds(seconds));

    /// <summary>The program's files as a <c>Files</c> message, paths as in its own folder.</summary>
    public static ProjectFiles Inline(LanguageProgram program)
    {
        var files = new ProjectFiles();
        files.Files_.AddRange(program.Files.Select(file => new SourceFile { Path = file.Key, Content = ByteString.CopyFromUtf8(file.Value) }));
        return files;
    }

    public static ProjectFiles Inline(params (string Path, string Text)[] files)
    {
        var message = new ProjectFiles();
        message.Files_.AddRange(files.Select(file => new SourceFile { Path = file.Path, Content = ByteString.CopyFromUtf8(file.Text) }));
        return message;
    }

    public static RunRequest Request(LanguageProgram program, string entry)
    {
        var request = new RunRequest { Language = program.Language, Entry = entry };
        request.Args.AddRange(LanguagePrograms.Args);
        return request;
    }

    /// <summary>Every event of a run's response stream, in order.</summary>
    public static async Task<GrpcRun> CollectAsync(IAsyncStreamReader<RunEvent> events)
    {
        var all = new List<RunEvent>();
        while (await events.MoveNext(CancellationToken.None))
        {
            all.Add(events.Current);
        }
        return new GrpcRun(all);
    }

    /// <summary>
    /// Writes the inputs, completes the request stream and reads the run to its end. A refusal
    /// can end the call before a write, which then fails with whatever the transport saw (often
    /// <c>Cancelled</c>); a client learns the call's status from the response, so that is what
    /// this returns or throws.
    /// </summary>
    public static async Task<GrpcRun> SendThenCollectAsync(AsyncDuplexStreamingCall<RunInput, RunEvent> call, params RunInput[] inputs)
    {
        await SendAllAsync(call, inputs);
        return await CollectAsync(call.ResponseStream);
    }

    /// <summary>
    /// Reads a call that must be refused: its status and the events it streamed first. Fails the
    /// test when the call ends without a refusal.
    /// </summary>
    public static async Task<GrpcRefusal> RefusalAsync(IAsyncStreamReader<RunEvent> events)
    {
        var before = new List<RunEvent>();
        try
        {
            while (await events.MoveNext(CancellationToken.None))
            {
                before.Add(events.Current);
            }
        }
        catch (RpcException refusal)
        {
            return new GrpcRefusal(refusal, new GrpcRun(before));
        }
        Assert.Fail($"the call was not refused: {new GrpcRun(before)}");
        throw new InvalidOperationException("unreachable: Assert.Fail throws");
    }

    /// <summary><see cref="RefusalAsync(IAsyncStreamReader{RunEvent})"/> of an interactive call, after writing its inputs as <see cref="SendThenCollectAsync"/> does.</summary>
    public static async Task<GrpcRefusal> RefusalAsync(AsyncDuplexStreamingCall<RunInput, RunEvent> call, params RunInput[] inputs)
    {
        await SendAllAsync(call, inputs);
        return await RefusalAsync(call.ResponseStream);
    }

    private static async Task SendAllAsync(AsyncDuplexStreamingCall<RunInput, RunEvent> call, RunInput[] inputs)
    {
        try
        {
            foreach (var input in inputs)
            {
                await call.RequestStream.WriteAsync(input);
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose() => _channel.Dispose();
}

/// <summary>A run's events as the gRPC API streamed them.</summary>
public sealed record GrpcRun(IReadOnlyList<RunEvent> Events)
{
    public Started? Started => Events.FirstOrDefault(e => e.EventCase == RunEvent.EventOneofCase.Started)?.Started;

    public Exited? Exited => Events.LastOrDefault(e => e.EventCase == RunEvent.EventOneofCase.Exited)?.Exited;

    public string Stdout => Output(RunEvent.EventOneofCase.Stdout);

    public string Stderr => Output(RunEvent.EventOneofCase.Stderr);

    /// <summary>The order docs/api.md §5 gives: started first, exited last, output only in between.</summary>
    public bool IsWellFormed =>
        Events.Count >= 2
        && Events[0].EventCase == RunEvent.EventOneofCase.Started
        && Events[^1].EventCase == RunEvent.EventOneofCase.Exited
        && Events.Skip(1).SkipLast(1).All(e => e.EventCase is RunEvent.EventOneofCase.Stdout or RunEvent.EventOneofCase.Stderr);

    private string Output(RunEvent.EventOneofCase stream)
    {
        var bytes = Events.Where(e => e.EventCase == stream).SelectMany(e => (stream == RunEvent.EventOneofCase.Stdout ? e.Stdout : e.Stderr).ToByteArray()).ToArray();
        return Encoding.UTF8.GetString(bytes);
    }

    public override string ToString() => string.Join(" | ", Events.Select(e => e.ToString()));
}
