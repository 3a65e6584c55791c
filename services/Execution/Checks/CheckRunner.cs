using Microsoft.Extensions.Options;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;

namespace WebIde.Execution.Checks;

/// <summary>The language's own compiler or checker over a project, read back as editor diagnostics.</summary>
public sealed class CheckRunner(RunPlanner planner, RunAdmission admission, Runner runner, IOptions<RunsOptions> options)
{
    private const long CheckerOutputBytes = 256 * 1024;

    public async Task<IReadOnlyList<Diagnostic>> CheckAsync(CheckInput input, RunCaller caller, CancellationToken cancellationToken)
    {
        if (ProjectPaths.Problem(input.Path) is { } problem)
        {
            throw new RunRequestException(RunRequestProblem.Invalid, $"path {problem}");
        }
        var path = input.Path!;
        var language = planner.Language(input.Language, path);
        var settings = options.Value;
        var source = planner.Source(input.Files, input.WorkspaceId, (long)settings.DefaultMemoryMb << 20, "check");

        // As for a run: the slot before the workspace's files are read.
        await using var slot = await admission.EnterAsync(new RunOwner(caller.CallerId, input.WorkspaceId, "check"), cancellationToken);
        var files = await planner.FilesAsync(source, caller, cancellationToken);
        var file = files.FirstOrDefault(candidate => candidate.Path == path)
            ?? throw new RunRequestException(RunRequestProblem.Invalid, $"the file '{path}' is not in the project");

        // Checked where a run would compile it (a Java file under its public class's name), so that a check does not
        // report what a run would not meet; the diagnostics carry no path, so they stay the file's.
        var placed = language.PlaceForToolchain(new SourceProject(files, path, []));
        CheckCommand command;
        try
        {
            command = CheckCommands.For(language, placed.Entry, [.. placed.Paths]);
        }
        catch (ArgumentException exception)
        {
            // A language without a checker: the catalog's tests keep every language of docs/api.md §5 from being one.
            throw new RunRequestException(RunRequestProblem.Invalid, exception.Message);
        }

        var limits = new RunLimits(settings.CompileTimeout, (long)settings.DefaultMemoryMb << 20, CheckerOutputBytes);
        var result = await runner.CaptureAsync(caller.CallerId, language.Name, placed.Files, command.Argv, limits, cancellationToken);
        return command.Parse(result.Output ?? "", System.Text.Encoding.UTF8.GetString(file.Content.Span));
    }
}
