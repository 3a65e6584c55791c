using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using WebIde.Contracts.Execution.V1;
using WebIde.Execution.Checks;
using WebIde.Execution.Runs;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Execution.Grpc;

/// <summary>
/// <c>webide.execution.v1.Execution</c>: the engine for other services, through the gateway's
/// 8081 listener. A service token runs and checks code only with the <c>code:run</c> scope;
/// listing languages needs no scope.
/// </summary>
[Authorize]
public sealed class ExecutionService(RunLauncher launcher, CheckRunner checks, Apis.LanguageListing languages) : Contracts.Execution.V1.Execution.ExecutionBase
{
    public override async Task Run(RunRequest request, IServerStreamWriter<Contracts.Execution.V1.RunEvent> responseStream, ServerCallContext context)
    {
        context.GetHttpContext().User.DemandServiceScope(ServiceScopes.CodeRun);
        var run = await LaunchAsync(request, interactive: false, context);
        await StreamAsync(run, responseStream, context);
    }

    public override async Task RunInteractive(IAsyncStreamReader<RunInput> requestStream, IServerStreamWriter<Contracts.Execution.V1.RunEvent> responseStream, ServerCallContext context)
    {
        context.GetHttpContext().User.DemandServiceScope(ServiceScopes.CodeRun);
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.InputCase != RunInput.InputOneofCase.Request)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message must carry the run request"));
        }

        var run = await LaunchAsync(requestStream.Current.Request, interactive: true, context);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var input = ForwardInputAsync(run, requestStream, stop.Token);
        await StreamAsync(run, responseStream, context);
        await stop.CancelAsync();
        await input;
    }

    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        context.GetHttpContext().User.DemandServiceScope(ServiceScopes.CodeRun);
        var caller = RunCallers.From(context.GetHttpContext());
        var files = request.SourceCase == CheckRequest.SourceOneofCase.Files ? GrpcRunMapping.ToFiles(request.Files) : null;
        Guid? workspaceId = request.SourceCase == CheckRequest.SourceOneofCase.WorkspaceId ? GrpcRunMapping.ParseWorkspace(request.WorkspaceId) : null;
        try
        {
            var diagnostics = await checks.CheckAsync(new CheckInput(request.Language, files, workspaceId, request.Path), caller, context.CancellationToken);
            var response = new CheckResponse();
            response.Diagnostics.AddRange(diagnostics.Select(diagnostic => new Contracts.Execution.V1.Diagnostic
            {
                Line = (uint)diagnostic.Line,
                Column = (uint)diagnostic.Column,
                EndLine = (uint)diagnostic.EndLine,
                EndColumn = (uint)diagnostic.EndColumn,
                Severity = diagnostic.Severity == DiagnosticSeverity.Error ? Severity.Error : Severity.Warning,
                Message = diagnostic.Message,
            }));
            return response;
        }
        catch (Exception exception) when (exception is RunRequestException or RunRefusedException)
        {
            throw exception.ToRpcException();
        }
    }

    public override async Task<ListLanguagesResponse> ListLanguages(ListLanguagesRequest request, ServerCallContext context)
    {
        var response = new ListLanguagesResponse();
        response.Languages.AddRange((await languages.ListAsync(context.CancellationToken)).Select(language => new Language
        {
            Name = language.Name,
            DisplayName = language.DisplayName,
            Version = language.Version,
            Extensions = { language.Extensions },
            EditorLanguage = language.EditorLanguage,
            Compiled = language.Compiled,
            LanguageServer = language.LanguageServer,
        }));
        return response;
    }

    private async Task<ActiveRun> LaunchAsync(RunRequest request, bool interactive, ServerCallContext context)
    {
        try
        {
            return await launcher.LaunchAsync(request.ToSubmission(), RunCallers.From(context.GetHttpContext()), interactive, "grpc", context.CancellationToken);
        }
        catch (Exception exception) when (exception is RunRequestException or RunRefusedException)
        {
            throw exception.ToRpcException();
        }
    }

    /// <summary>Every event to the caller; a caller that goes away ends its run.</summary>
    private static async Task StreamAsync(ActiveRun run, IServerStreamWriter<Contracts.Execution.V1.RunEvent> responseStream, ServerCallContext context)
    {
        try
        {
            await foreach (var runEvent in run.Events.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(runEvent.ToWire(), context.CancellationToken);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            await run.KillAsync(CancellationToken.None);
            throw;
        }
    }

    private static async Task ForwardInputAsync(ActiveRun run, IAsyncStreamReader<RunInput> requestStream, CancellationToken cancellationToken)
    {
        try
        {
            while (await requestStream.MoveNext(cancellationToken))
            {
                var input = requestStream.Current;
                switch (input.InputCase)
                {
                    case RunInput.InputOneofCase.Stdin:
                        await run.SendStdinAsync(input.Stdin.Memory, cancellationToken);
                        break;
                    case RunInput.InputOneofCase.CloseStdin:
                        await run.CloseStdinAsync(cancellationToken);
                        break;
                    case RunInput.InputOneofCase.Kill:
                        await run.KillAsync(cancellationToken);
                        break;
                }
            }
            // A caller that has finished sending has nothing more for stdin either.
            await run.CloseStdinAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }
}
