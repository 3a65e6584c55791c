using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.Execution.V1;
using ProjectFiles = WebIde.Contracts.Execution.V1.Files;
using RunEvent = WebIde.Contracts.Execution.V1.RunEvent;
using SourceFile = WebIde.Contracts.Execution.V1.SourceFile;

namespace WebIde.Execution.UnitTests.Grpc;

/// <summary>
/// A service token runs and checks code only with the <c>code:run</c> scope, which no platform
/// service is granted: without it the call is PERMISSION_DENIED before any file is read or any
/// sandbox started. Listing languages needs no scope.
/// </summary>
public sealed class ServiceScopeTests
{
    private const string Service = "service:collaboration";

    // Everything collaboration is granted, and nothing of running code.
    private const string WithoutCodeRun = "files:read files:write members:read";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private ExecutionServiceHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await ExecutionServiceHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase(WithoutCodeRun)]
    [TestCase(null)]
    public void AServiceTokenWithoutCodeRunCannotRunInlineFilesOrAWorkspace(string? scope)
    {
        var inline = Assert.ThrowsAsync<RpcException>(() => RunAsync(Inline(), ExecutionServiceHost.As(Service, scope)));
        var workspace = Assert.ThrowsAsync<RpcException>(() => RunAsync(
            new RunRequest { Language = "python", Entry = "main.py", WorkspaceId = Guid.NewGuid().ToString() }, ExecutionServiceHost.As(Service, scope)));

        using (Assert.EnterMultipleScope())
        {
            foreach (var refusal in new[] { inline, workspace })
            {
                Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
                Assert.That(refusal.Status.Detail, Does.Contain("'code:run'"));
            }
            Assert.That(_host.Filesystem.Reads, Is.Zero, "no workspace read with execution's own token");
            Assert.That(_host.Sandbox.Request, Is.Null, "no sandbox");
        }
    }

    [Test]
    public async Task AServiceTokenWithoutCodeRunCannotRunInteractively()
    {
        using var call = _host.Client.RunInteractive(ExecutionServiceHost.As(Service, WithoutCodeRun));
        try
        {
            await call.RequestStream.WriteAsync(new RunInput { Request = Inline() });
        }
        catch (RpcException)
        {
            // Refused before the first message was read: the response says why.
        }

        var refusal = Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline));

        Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(_host.Sandbox.Request, Is.Null);
    }

    [Test]
    public void AServiceTokenWithoutCodeRunCannotCheck()
    {
        var request = new CheckRequest { Language = "python", Path = "main.py", Files = Inline().Files };

        var refusal = Assert.ThrowsAsync<RpcException>(async () => await _host.Client.CheckAsync(request, ExecutionServiceHost.As(Service, WithoutCodeRun)));

        Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(_host.Sandbox.Request, Is.Null);
    }

    [Test]
    public async Task AServiceTokenWithCodeRunRuns()
    {
        using var call = _host.Client.Run(Inline(), ExecutionServiceHost.As(Service, "code:run"));

        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline), Is.True);
        Assert.That(call.ResponseStream.Current.EventCase, Is.EqualTo(RunEvent.EventOneofCase.Started));
        _host.Sandbox.End();
    }

    [Test]
    public async Task AUserRunsWithoutAnyScope()
    {
        using var call = _host.Client.Run(Inline(), ExecutionServiceHost.As("user-alice"));

        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline), Is.True);
        Assert.That(call.ResponseStream.Current.EventCase, Is.EqualTo(RunEvent.EventOneofCase.Started));
        _host.Sandbox.End();
    }

    [Test]
    public async Task AnyServiceTokenListsLanguages()
    {
        var languages = await _host.Client.ListLanguagesAsync(new ListLanguagesRequest(), ExecutionServiceHost.As(Service));

        Assert.That(languages.Languages, Is.Not.Empty);
    }

    private async Task RunAsync(RunRequest request, CallOptions options)
    {
        using var call = _host.Client.Run(request, options);
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline))
        {
        }
    }

    private static RunRequest Inline() => new()
    {
        Language = "python",
        Entry = "main.py",
        Files = new ProjectFiles { Files_ = { new SourceFile { Path = "main.py", Content = ByteString.CopyFromUtf8("print(1)") } } },
    };
}
