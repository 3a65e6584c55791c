using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;
using WebIde.Execution.Grpc;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.Tests.Shared;
using ProjectFiles = WebIde.Contracts.Execution.V1.Files;
using RunEvent = WebIde.Contracts.Execution.V1.RunEvent;
using RunLimits = WebIde.Contracts.Execution.V1.RunLimits;
using SourceFile = WebIde.Contracts.Execution.V1.SourceFile;

namespace WebIde.Execution.UnitTests.Grpc;

/// <summary>
/// An inline project is held to its limits as it comes over gRPC: the service reads no request
/// message longer than the largest valid request, refusing a longer one from its length prefix
/// (compressed ones as they inflate), and refuses a project over its budget that fits with
/// INVALID_ARGUMENT (docs/api.md §5); neither reaches a sandbox.
/// </summary>
public sealed class InlineProjectLimitTests
{
    private const string Alice = "user-alice";
    private const int ResourceExhausted = 8;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private ExecutionServiceHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await ExecutionServiceHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public void TheServiceReadsNoMessageLongerThanTheLargestValidRequest()
    {
        // A 1 GiB sandbox takes 32 MiB of project; stdin 8 MiB; 256 args of 4,096 characters of up to 3 bytes.
        const long largest = (32L << 20) + (8L << 20) + (256L * 4096 * 3);

        Assert.That(_host.MaxReceiveMessageSize, Is.EqualTo(RunMessageLimit.MaxBytes(new RunsOptions(), new SandboxOptions())));
        Assert.That(_host.MaxReceiveMessageSize, Is.InRange(largest, largest + (128 << 10)));
    }

    [Test]
    public void TheLargestValidRequestFitsInOneMessage()
    {
        var request = Request(Project(ProjectSize.BudgetFor(1L << 30, new SandboxOptions())));
        request.Limits = new RunLimits { MemoryMb = 1024 };
        request.Stdin = ByteString.CopyFrom(new byte[RunPlanner.MaxStdinBytes]);
        // '€' takes three bytes in UTF-8, the most one UTF-16 unit can.
        request.Args.AddRange(Enumerable.Repeat(new string('€', RunPlanner.MaxArgLength), RunPlanner.MaxArgs));

        Assert.That(new RunInput { Request = request }.CalculateSize(), Is.LessThanOrEqualTo(_host.MaxReceiveMessageSize));
    }

    [TestCase(1, 0)]
    [TestCase(1, 1)]
    [TestCase(127, 127)]
    [TestCase(128, 128)]
    [TestCase(1024, 16_384)]
    [TestCase(1, 2_097_152)]
    [TestCase(1024, 2_097_152)]
    public void AFileNeverTakesMoreOfARequestThanItCountsAgainstTheBudget(int pathBytes, int contentBytes)
    {
        // The property RunMessageLimit rests on: however many files, the project's framing is inside its budget.
        var path = new string('a', pathBytes);
        var files = new ProjectFiles { Files_ = { new SourceFile { Path = path, Content = ByteString.CopyFrom(new byte[contentBytes]) } } };

        Assert.That(files.CalculateSize(), Is.LessThanOrEqualTo(ProjectSize.Of(path, contentBytes)));
    }

    [Test]
    public void AnInlineProjectOverItsBudgetIsRefusedAsInvalidArgumentBeforeAnySandbox()
    {
        // One byte over the default 256 MiB sandbox's 32 MiB: within the message limit.
        var request = Request(Project((32L << 20) + 1));

        var refused = Assert.ThrowsAsync<RpcException>(() => RunAsync(request));

        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument), refused.Status.Detail);
        Assert.That(refused.Status.Detail, Does.Contain((32L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(_host.Sandbox.Request, Is.Null);
    }

    [Test]
    public async Task AnInteractiveRunsInlineProjectOverItsBudgetIsRefusedAsInvalidArgumentBeforeAnySandbox()
    {
        using var call = _host.Client.RunInteractive(ExecutionServiceHost.As(Alice));
        try
        {
            await call.RequestStream.WriteAsync(new RunInput { Request = Request(Project((32L << 20) + 1)) });
        }
        catch (RpcException)
        {
            // The refusal may end the call before the write is through: the response says why.
        }

        var refused = Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });

        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument), refused.Status.Detail);
        Assert.That(_host.Sandbox.Request, Is.Null);
    }

    [TestCase("Run")]
    [TestCase("RunInteractive")]
    [TestCase("Check")]
    public async Task AMessageLongerThanTheLimitIsRefusedFromItsLengthPrefixUnread(string method)
    {
        // The prefix announces one byte over the limit; only a kilobyte follows, and the body stays
        // open: an answer within the deadline was given without waiting for the rest.
        var first = Frame(new byte[1024], announcedLength: _host.MaxReceiveMessageSize + 1);

        var (status, message) = await CallByHandAsync(method, new OpenRequestBody(first));

        Assert.That(status, Is.EqualTo(ResourceExhausted), message);
        Assert.That(_host.Sandbox.Request, Is.Null);
    }

    [Test]
    public async Task ACompressedMessageThatInflatesPastTheLimitIsRefusedAsItInflates()
    {
        // gRPC's own guard (grpc-dotnet inflated without a limit before): some tens of
        // kilobytes of gzip that inflate to a little more than the limit. Were it inflated and
        // read, the request would be refused for its stdin instead (INVALID_ARGUMENT).
        var inflated = new RunInput { Request = new RunRequest { Stdin = ByteString.CopyFrom(new byte[_host.MaxReceiveMessageSize]) } }.ToByteArray();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(inflated);
        }
        Assert.That(compressed.Length, Is.LessThan(_host.MaxReceiveMessageSize / 100), "small on the wire");
        var (status, message) = await CallByHandAsync("RunInteractive", new ByteArrayContent(Frame(compressed.ToArray(), compressed: true)), encoding: "gzip");

        Assert.That(status, Is.EqualTo(ResourceExhausted), message);
        Assert.That(_host.Sandbox.Request, Is.Null);
    }

    [Test]
    public async Task ACompressedRequestWithinTheLimitRuns()
    {
        var options = ExecutionServiceHost.As(Alice);
        // grpc-dotnet compresses the request with the encoding this header names.
        options.Headers!.Add("grpc-internal-encoding-request", "gzip");
        using var call = _host.Client.Run(Request(Project(1024)), options);

        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline), Is.True);
        Assert.That(call.ResponseStream.Current.EventCase, Is.EqualTo(RunEvent.EventOneofCase.Started));
        Assert.That(_host.Sandbox.Request?.Files.Select(file => file.Path), Is.EquivalentTo(new[] { "main.py", "data.bin" }));
        _host.Sandbox.End();
    }

    private async Task RunAsync(RunRequest request)
    {
        using var call = _host.Client.Run(request, ExecutionServiceHost.As(Alice));
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline))
        {
        }
    }

    /// <summary>A call of <paramref name="method"/> with the body as given (disposed with the call): the gRPC status and message it ends with.</summary>
    private async Task<(int Status, string? Message)> CallByHandAsync(string method, HttpContent body, string? encoding = null)
    {
        using var client = new HttpClient(_host.Handler, disposeHandler: false) { BaseAddress = new Uri("http://localhost") };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webide.execution.v1.Execution/{method}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.Add(TestAuthenticationHandler.SubjectHeader, Alice);
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Deadline);
        await response.Content.ReadAsByteArrayAsync().WaitAsync(Deadline);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Trailers-only when the call ends before any message: then the status is in the headers.
        var status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status");
        var message = Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message");
        Assert.That(status, Is.Not.Null, "the call ended without a gRPC status");
        return (int.Parse(status!, System.Globalization.CultureInfo.InvariantCulture), message);
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>A gRPC message frame: the compressed flag, the length (big-endian), the bytes.</summary>
    private static byte[] Frame(byte[] payload, int? announcedLength = null, bool compressed = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(announcedLength ?? payload.Length));
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    private static RunRequest Request(ProjectFiles files) => new() { Language = "python", Entry = "main.py", Files = files };

    /// <summary>main.py and a data file, together <paramref name="countedBytes"/> as <see cref="ProjectSize"/> counts them.</summary>
    private static ProjectFiles Project(long countedBytes)
    {
        var main = "print(1)"u8.ToArray();
        var data = countedBytes - ProjectSize.Of("main.py", main.Length) - ProjectSize.Of("data.bin", 0);
        return new ProjectFiles
        {
            Files_ =
            {
                new SourceFile { Path = "main.py", Content = ByteString.CopyFrom(main) },
                new SourceFile { Path = "data.bin", Content = ByteString.CopyFrom(new byte[data]) },
            },
        };
    }
}
