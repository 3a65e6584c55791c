using System.Text;
using WebIde.Execution.Checks;
using WebIde.Execution.Runs;
using WebIde.ServiceDefaults.Authentication;
using WebIde.ServiceDefaults.OpenApi;

namespace WebIde.Execution.Apis;

/// <summary>One-shot runs and editor diagnostics over REST (docs/api.md §5).</summary>
public static class RunsApi
{
    private const string RunShape = "The body must be JSON: {\"entry\": path, \"language\"?: name, \"stdin\"?: text, \"args\"?: [text], \"limits\"?: {\"timeoutMs\"?, \"memoryMb\"?, \"maxOutputBytes\"?}}.";
    private const string CheckShape = "The body must be JSON: {\"path\": path, \"language\"?: name}.";

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workspaces/{id}").WithTags("Runs").RequireAuthorization().RequireServiceScope(ServiceScopes.CodeRun);
        // The handlers read their bodies themselves (for problem+json on bad JSON): shapes declared here.
        api.MapPost("/runs", RunAsync).WithName("Run").WithSummary("Runs a program of the workspace to completion in a fresh sandbox.")
            .DescribesBody<RunRequestBody>("application/json")
            .Produces<RunResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/check", CheckAsync).WithName("Check").WithSummary("A file's diagnostics from its language's own compiler or checker.")
            .DescribesBody<CheckRequestBody>("application/json")
            .Produces<CheckResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    public static async Task<IResult> RunAsync(string id, HttpContext context, RunLauncher launcher, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var workspaceId))
        {
            return RunProblems.WorkspaceNotFound();
        }
        var (body, problem) = await JsonRequestBody.ReadAsync<RunRequestBody>(context.Request, RunShape, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var submission = body.ToSubmission(workspaceId);
        ActiveRun run;
        try
        {
            run = await launcher.LaunchAsync(submission, RunCallers.From(context), interactive: false, "rest", cancellationToken);
        }
        catch (Exception exception) when (exception is RunRequestException or RunRefusedException)
        {
            return RunProblems.From(exception, context);
        }

        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        try
        {
            await foreach (var runEvent in run.Events.ReadAllAsync(cancellationToken))
            {
                if (runEvent is RunOutput output)
                {
                    (output.Stream == OutputStream.Stdout ? stdout : stderr).Write(output.Data.Span);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Nobody waits for the answer any more: the program need not go on either.
            await run.KillAsync(CancellationToken.None);
            throw;
        }

        var result = await run.Completion;
        return TypedResults.Ok(new RunResponse(run.RunId, result.Status.ToContractName(), result.ExitCode,
            Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length), Encoding.UTF8.GetString(stderr.GetBuffer(), 0, (int)stderr.Length),
            result.WallTimeMs, result.CpuTimeMs, result.PeakMemoryBytes, result.OutputTruncated));
    }

    public static async Task<IResult> CheckAsync(string id, HttpContext context, CheckRunner checks, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var workspaceId))
        {
            return RunProblems.WorkspaceNotFound();
        }
        var (body, problem) = await JsonRequestBody.ReadAsync<CheckRequestBody>(context.Request, CheckShape, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        try
        {
            var diagnostics = await checks.CheckAsync(new CheckInput(body.Language, null, workspaceId, body.Path), RunCallers.From(context), cancellationToken);
            return TypedResults.Ok(new CheckResponse([.. diagnostics.Select(diagnostic => new DiagnosticResponse(
                diagnostic.Line, diagnostic.Column, diagnostic.EndLine, diagnostic.EndColumn,
                diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning", diagnostic.Message))]));
        }
        catch (Exception exception) when (exception is RunRequestException or RunRefusedException)
        {
            return RunProblems.From(exception, context);
        }
    }
}
