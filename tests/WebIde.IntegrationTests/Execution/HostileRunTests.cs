using System.Net;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;
using WebIde.IntegrationTests.Files;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// Requests docs/api.md §5 refuses before anything runs: limits over their maxima, unknown
/// languages, missing entries and malformed bodies (400 / INVALID_ARGUMENT), other people's
/// workspaces (404 / NOT_FOUND) and callers without a token (401 / UNAUTHENTICATED).
/// </summary>
public sealed class HostileRunTests
{
    private const long EightMiB = 8L << 20;

    private ExecWorkspace _workspace = null!;
    private ExecGrpc _grpc = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        _workspace = await ExecWorkspace.AllLanguagesAsync();
        _grpc = new ExecGrpc();
    }

    [OneTimeTearDown]
    public void Disconnect() => _grpc.Dispose();

    private static readonly object[] RefusedBodies =
    [
        new object[] { "timeout over 60 s", new { entry = "python/main.py", limits = new { timeoutMs = 60_001 } } },
        new object[] { "memory over 1 GiB", new { entry = "python/main.py", limits = new { memoryMb = 1025 } } },
        new object[] { "output over 8 MiB", new { entry = "python/main.py", limits = new { maxOutputBytes = EightMiB + 1 } } },
        new object[] { "negative timeout", new { entry = "python/main.py", limits = new { timeoutMs = -1 } } },
        new object[] { "unknown language", new { entry = "python/main.py", language = "cobol" } },
        new object[] { "missing entry file", new { entry = "python/absent.py" } },
        new object[] { "no entry at all", new { stdin = "x" } },
        new object[] { "entry outside the project", new { entry = "../python/main.py" } },
        new object[] { "a directory as entry", new { entry = "python" , language = "python" } },
    ];

    [TestCaseSource(nameof(RefusedBodies))]
    public async Task RestRefusesAnInvalidRunWithAProblem(string because, object body)
    {
        using var response = await _workspace.PostRunAsync(body);

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, because);
    }

    [TestCase("{not json")]
    [TestCase("""{"entry": 5}""")]
    [TestCase("""{"entry": "python/main.py", "args": "a b"}""")]
    [TestCase("""{"entry": "python/main.py", "limits": {"timeoutMs": "soon"}}""")]
    [TestCase("[]")]
    [TestCase("null")]
    [TestCase("")]
    public async Task RestRefusesBadJsonWithAProblem(string json)
    {
        var request = _workspace.Files.Request(HttpMethod.Post, "runs");
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _workspace.Files.Client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, json);
    }

    [Test]
    public async Task RestRefusesABadCheckWithAProblem()
    {
        using var unknown = await _workspace.PostCheckAsync(new { path = "python/absent.py" });
        using var noPath = await _workspace.PostCheckAsync(new { language = "python" });

        await Problems.AssertAsync(unknown, HttpStatusCode.BadRequest, "missing file");
        await Problems.AssertAsync(noPath, HttpStatusCode.BadRequest, "no path");
    }

    [Test]
    public async Task AStrangerSeesNoWorkspaceOverRest()
    {
        var stranger = await _workspace.Files.AddMemberAsync(null);

        using var run = await _workspace.PostRunAsync(new { entry = "python/main.py" }, stranger);
        using var check = await _workspace.PostCheckAsync(new { path = "python/main.py" }, stranger);
        using var nowhere = await _workspace.Files.Client.SendAsync(FileWorkspace.WithJson(
            Identity.Accounts.Authorized(HttpMethod.Post, $"/api/workspaces/{Guid.NewGuid()}/runs", _workspace.AccessToken), new { entry = "python/main.py" }));

        var refused = await Problems.AssertAsync(run, HttpStatusCode.NotFound, "stranger's run");
        await Problems.AssertAsync(check, HttpStatusCode.NotFound, "stranger's check");
        var absent = await Problems.AssertAsync(nowhere, HttpStatusCode.NotFound, "no such workspace");
        // Not even the wording may tell a stranger that the workspace exists.
        Assert.That(refused.GetProperty("detail").GetString(), Is.EqualTo(absent.GetProperty("detail").GetString()));
    }

    [Test]
    public async Task RestWithoutATokenIsUnauthorized()
    {
        using var client = Platform.CreateGatewayClient();
        using var response = await client.PostAsync($"/api/workspaces/{_workspace.Id}/runs",
            new StringContent("""{"entry": "python/main.py"}""", Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static IEnumerable<TestCaseData> RefusedRequests()
    {
        var python = LanguagePrograms.Of("python");
        RunRequest Inline(Action<RunRequest> change)
        {
            var request = new RunRequest { Entry = python.Entry, Files = ExecGrpc.Inline(python) };
            change(request);
            return request;
        }
        yield return new TestCaseData(Inline(request => request.Limits = new RunLimits { TimeoutMs = 60_001 })).SetArgDisplayNames("timeout over 60 s");
        yield return new TestCaseData(Inline(request => request.Limits = new RunLimits { MemoryMb = 1025 })).SetArgDisplayNames("memory over 1 GiB");
        yield return new TestCaseData(Inline(request => request.Limits = new RunLimits { MaxOutputBytes = (ulong)EightMiB + 1 })).SetArgDisplayNames("output over 8 MiB");
        yield return new TestCaseData(Inline(request => request.Language = "cobol")).SetArgDisplayNames("unknown language");
        yield return new TestCaseData(Inline(request => request.Entry = "absent.py")).SetArgDisplayNames("missing entry file");
        yield return new TestCaseData(Inline(request => request.Entry = "")).SetArgDisplayNames("no entry");
        yield return new TestCaseData(Inline(request => request.Files.Files_.Add(new SourceFile { Path = "../escape.py", Content = ByteString.CopyFromUtf8("x") }))).SetArgDisplayNames("a file outside the project");
        yield return new TestCaseData(Inline(request => request.ClearSource())).SetArgDisplayNames("neither files nor workspace");
        yield return new TestCaseData(Inline(request => request.WorkspaceId = "not-a-workspace")).SetArgDisplayNames("a workspace id that is no id");
    }

    [TestCaseSource(nameof(RefusedRequests))]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task GrpcRefusesAnInvalidRunAsInvalidArgument(RunRequest request)
    {
        using var call = _grpc.Client.Run(request, ExecGrpc.As(_workspace.AccessToken));
        var refused = await ExecGrpc.RefusalAsync(call.ResponseStream);

        Assert.That(refused.Status, Is.EqualTo(StatusCode.InvalidArgument), refused.ToString());
        Assert.That(refused.Error.Status.Detail, Is.Not.Empty);
        Assert.That(refused.Before.Events, Is.Empty, "refused before anything ran");
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task GrpcRunInteractiveRefusesAnInvalidFirstMessage()
    {
        using var call = _grpc.Client.RunInteractive(ExecGrpc.As(_workspace.AccessToken));
        var refused = await ExecGrpc.RefusalAsync(call, new RunInput { Stdin = ByteString.CopyFromUtf8("no request yet\n") });

        Assert.That(refused.Status, Is.EqualTo(StatusCode.InvalidArgument), refused.ToString());
        Assert.That(refused.Before.Events, Is.Empty, "refused before anything ran");
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task AStrangerSeesNoWorkspaceOverGrpc()
    {
        var stranger = await _workspace.Files.AddMemberAsync(null);

        using var call = _grpc.Client.Run(new RunRequest { WorkspaceId = _workspace.Id, Entry = "python/main.py" }, ExecGrpc.As(stranger));
        var run = await ExecGrpc.RefusalAsync(call.ResponseStream);
        var check = Assert.ThrowsAsync<RpcException>(async () =>
            await _grpc.Client.CheckAsync(new CheckRequest { WorkspaceId = _workspace.Id, Path = "python/main.py" }, ExecGrpc.As(stranger)));

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(StatusCode.NotFound), run.ToString());
            Assert.That(run.Before.Events, Is.Empty, "nothing of the stranger's ran");
            Assert.That(check!.StatusCode, Is.EqualTo(StatusCode.NotFound), check.Status.Detail);
        });
    }

    [TestCase(true, TestName = "AnInteractiveRunInAStrangersWorkspaceIsNotFound")]
    [TestCase(false, TestName = "AnInteractiveRunInAWorkspaceThatDoesNotExistIsNotFound")]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task AnInteractiveRunInAWorkspaceNotTheCallersIsNotFound(bool existing)
    {
        // docs/api.md §5: an unknown workspace and one that is not yours answer alike.
        var stranger = await _workspace.Files.AddMemberAsync(null);
        var request = new RunRequest { WorkspaceId = existing ? _workspace.Id : Guid.NewGuid().ToString(), Entry = "python/main.py" };

        using var call = _grpc.Client.RunInteractive(ExecGrpc.As(stranger));
        var refused = await ExecGrpc.RefusalAsync(call, new RunInput { Request = request }, new RunInput { Stdin = ByteString.CopyFromUtf8("line one\n") });

        Assert.That(refused.Status, Is.EqualTo(StatusCode.NotFound), refused.ToString());
        Assert.That(refused.Before.Events, Is.Empty, "nothing ran");
    }

    [TestCase(UnverifiableTokens.Expired)]
    [TestCase(UnverifiableTokens.ForeignKey)]
    [TestCase(UnverifiableTokens.Unsigned)]
    [TestCase(UnverifiableTokens.SessionEnded)]
    [TestCase(UnverifiableTokens.Ticket)]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task GrpcRefusesATokenThatCannotBeVerifiedAndRunsNothing(string kind)
    {
        // Made from the workspace owner's token: were it accepted, the owner's program would run.
        var token = await UnverifiableTokens.MakeAsync(kind, _workspace.Files.Client, _workspace.AccessToken);

        using var call = _grpc.Client.Run(new RunRequest { WorkspaceId = _workspace.Id, Entry = "python/main.py" }, ExecGrpc.As(token));
        var refused = await ExecGrpc.RefusalAsync(call.ResponseStream);

        Assert.That(refused.Status, Is.EqualTo(StatusCode.Unauthenticated), refused.ToString());
        Assert.That(refused.Before.Events, Is.Empty, "nothing ran");
    }

    [Test]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task GrpcRefusesARequestLongerThanAnyValidOneAndRunsNothing()
    {
        // docs/api.md §5: a request message over about 43 MiB is RESOURCE_EXHAUSTED, refused from its length.
        var python = LanguagePrograms.Of("python");
        var request = new RunRequest { Entry = python.Entry, Files = ExecGrpc.Inline(python) };
        request.Files.Files_.Add(new SourceFile { Path = "ballast.bin", Content = ByteString.CopyFrom(new byte[48 << 20]) });

        using var call = _grpc.Client.Run(request, ExecGrpc.As(_workspace.AccessToken));
        var refused = await ExecGrpc.RefusalAsync(call.ResponseStream);

        Assert.That(refused.Status, Is.EqualTo(StatusCode.ResourceExhausted), refused.ToString());
        Assert.That(refused.Before.Events, Is.Empty, "nothing ran");
    }

    [Test]
    public async Task AViewerMayRunOverGrpc()
    {
        var viewer = await _workspace.Files.AddMemberAsync("viewer");
        var program = LanguagePrograms.Of("bash");
        var request = new RunRequest { WorkspaceId = _workspace.Id, Entry = program.EntryInFolder, Stdin = ByteString.CopyFromUtf8(LanguagePrograms.Stdin) };
        request.Args.AddRange(LanguagePrograms.Args);

        using var call = _grpc.Client.Run(request, ExecGrpc.As(viewer));
        var run = await ExecGrpc.CollectAsync(call.ResponseStream);

        Assert.That((run.Exited?.Status, run.Stdout), Is.EqualTo((RunStatus.Ok, program.ExpectedStdout)), run.ToString());
    }

    [TestCase(null)]
    [TestCase("not.a.token")]
    [Category(HostileCategories.Suite), Category(HostileCategories.Grpc)]
    public async Task GrpcWithoutAValidTokenIsUnauthenticated(string? token)
    {
        var python = LanguagePrograms.Of("python");
        var listed = Assert.ThrowsAsync<RpcException>(async () => await _grpc.Client.ListLanguagesAsync(new ListLanguagesRequest(), ExecGrpc.As(token)));
        using var runCall = _grpc.Client.Run(new RunRequest { Entry = python.Entry, Files = ExecGrpc.Inline(python) }, ExecGrpc.As(token));
        var run = await ExecGrpc.RefusalAsync(runCall.ResponseStream);
        using var interactiveCall = _grpc.Client.RunInteractive(ExecGrpc.As(token));
        var interactive = await ExecGrpc.RefusalAsync(interactiveCall, new RunInput { Request = new RunRequest { Entry = python.Entry, Files = ExecGrpc.Inline(python) } });
        var check = Assert.ThrowsAsync<RpcException>(async () =>
            await _grpc.Client.CheckAsync(new CheckRequest { Path = python.Entry, Files = ExecGrpc.Inline(python) }, ExecGrpc.As(token)));

        Assert.Multiple(() =>
        {
            Assert.That(listed!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(run.Status, Is.EqualTo(StatusCode.Unauthenticated), run.ToString());
            Assert.That(interactive.Status, Is.EqualTo(StatusCode.Unauthenticated), interactive.ToString());
            Assert.That(check!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
            Assert.That(run.Before.Events.Concat(interactive.Before.Events), Is.Empty, "nothing ran");
        });
    }
}
