using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// <c>webide.execution.v1.Execution</c> at the gateway's gRPC listener: ListLanguages, Run with
/// inline files or a workspace, and RunInteractive with stdin typed after the program started.
/// </summary>
public sealed class GrpcRunTests
{
    private static readonly string[] Nine = ["python", "javascript", "typescript", "c", "cpp", "java", "go", "rust", "bash"];

    private static IEnumerable<LanguageProgram> Programs => LanguagePrograms.All;

    private ExecGrpc _grpc = null!;
    private string _token = null!;
    private Dictionary<string, Language> _languages = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        _grpc = new ExecGrpc();
        _token = (await ExecWorkspace.AllLanguagesAsync()).AccessToken;
        var listed = await _grpc.Client.ListLanguagesAsync(new ListLanguagesRequest(), ExecGrpc.As(_token));
        _languages = listed.Languages.ToDictionary(language => language.Name, StringComparer.Ordinal);
    }

    [OneTimeTearDown]
    public void Disconnect() => _grpc.Dispose();

    [Test]
    public void ListLanguagesNamesTheNineWithTheirVersionsAndExtensions()
    {
        Assert.That(_languages.Keys, Is.EquivalentTo(Nine));
        Assert.Multiple(() =>
        {
            foreach (var program in LanguagePrograms.All)
            {
                var language = _languages[program.Language];
                Assert.That(language.Version, Is.Not.Empty.And.Not.EqualTo("unknown"), program.Language);
                Assert.That(language.Version, Does.Match(@"^\d+(\.\d+)+"), $"{program.Language}: a version number, not a banner");
                Assert.That(language.Extensions, Does.Contain(Path.GetExtension(program.Entry)), program.Language);
            }
            Assert.That(Nine.Where(name => _languages[name].Compiled), Is.SupersetOf(new[] { "c", "cpp", "java", "go", "rust" }));
            Assert.That(new[] { "python", "javascript", "bash" }.Where(name => _languages[name].Compiled), Is.Empty);
        });
    }

    [TestCaseSource(nameof(Programs))]
    public async Task RunBuildsAndRunsInlineFilesWithArgsAndStdin(LanguageProgram program)
    {
        var request = ExecGrpc.Request(program, program.Entry);
        request.Files = ExecGrpc.Inline(program);
        request.Stdin = ByteString.CopyFromUtf8(LanguagePrograms.Stdin);

        using var call = _grpc.Client.Run(request, ExecGrpc.As(_token));
        var run = await ExecGrpc.CollectAsync(call.ResponseStream);

        AssertHello(program, run);
    }

    [Test]
    public async Task RunReadsTheProjectFromAWorkspaceAndTakesTheLanguageFromTheEntry()
    {
        var workspace = await ExecWorkspace.AllLanguagesAsync();
        var program = LanguagePrograms.Of("java");
        var request = new RunRequest { WorkspaceId = workspace.Id, Entry = program.EntryInFolder, Stdin = ByteString.CopyFromUtf8(LanguagePrograms.Stdin) };
        request.Args.AddRange(LanguagePrograms.Args);

        using var call = _grpc.Client.Run(request, ExecGrpc.As(_token));
        var run = await ExecGrpc.CollectAsync(call.ResponseStream);

        AssertHello(program, run);
    }

    [TestCaseSource(nameof(Programs))]
    public async Task RunInteractiveFeedsStdinSentAfterTheProgramStarted(LanguageProgram program)
    {
        var request = ExecGrpc.Request(program, program.Entry);
        request.Files = ExecGrpc.Inline(program);

        using var call = _grpc.Client.RunInteractive(ExecGrpc.As(_token));
        await call.RequestStream.WriteAsync(new RunInput { Request = request });
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None), Is.True, "the stream ended before started");
        var first = call.ResponseStream.Current;
        Assert.That(first.EventCase, Is.EqualTo(RunEvent.EventOneofCase.Started), first.ToString());

        // The program is waiting for its line by now (or still compiling): either way it only gets it from here.
        await call.RequestStream.WriteAsync(new RunInput { Stdin = ByteString.CopyFromUtf8("line one\n") });
        await call.RequestStream.WriteAsync(new RunInput { CloseStdin = new CloseStdin() });
        var rest = await ExecGrpc.CollectAsync(call.ResponseStream);
        await call.RequestStream.CompleteAsync();

        AssertHello(program, new GrpcRun([first, .. rest.Events]));
    }

    [TestCase("collaboration")]
    [TestCase("execution")]
    [TestCase("filesystem")]
    public async Task NoPlatformServicesTokenRunsCode(string service)
    {
        // No service of the platform is granted code:run: a stolen service token runs nothing,
        // and cannot read a workspace through execution's own token either.
        var program = LanguagePrograms.Of("python");
        var inline = ExecGrpc.Request(program, program.Entry);
        inline.Files = ExecGrpc.Inline(program);
        using var workspace = await ExecWorkspace.CreateAsync("scoped");
        var fromWorkspace = new RunRequest { Language = "python", Entry = "main.py", WorkspaceId = workspace.Id };
        var token = await ServiceClients.TokenAsync(service);

        foreach (var request in new[] { inline, fromWorkspace })
        {
            using var call = _grpc.Client.Run(request, ExecGrpc.As(token));
            var refusal = Assert.ThrowsAsync<RpcException>(async () => await ExecGrpc.CollectAsync(call.ResponseStream));

            Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(refusal.Status.Detail, Does.Contain("'code:run'"));
        }
    }

    private void AssertHello(LanguageProgram program, GrpcRun run)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.IsWellFormed, Is.True, $"started, output, exited: {run}");
            Assert.That(Guid.TryParse(run.Started?.RunId, out _), Is.True, run.ToString());
            Assert.That(run.Started?.Language, Is.EqualTo(program.Language));
            Assert.That(run.Started?.Version, Is.Not.Empty.And.EqualTo(_languages[program.Language].Version), "the version ListLanguages gives");
            Assert.That(run.Stdout, Is.EqualTo(program.ExpectedStdout), run.ToString());
            Assert.That(run.Stderr, Is.Empty, run.ToString());
            Assert.That(run.Exited?.Status, Is.EqualTo(RunStatus.Ok), run.ToString());
            Assert.That(run.Exited?.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Exited?.OutputTruncated, Is.False);
        });
    }
}
