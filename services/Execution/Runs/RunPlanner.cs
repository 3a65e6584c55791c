using Microsoft.Extensions.Options;
using WebIde.Execution.Languages;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Runs;

/// <summary>
/// Checks a run request against the rules and limits of docs/api.md §5 and gathers its files, placed where the
/// language's toolchain needs them (<see cref="LanguageDefinition.PlaceForToolchain"/>). In two steps around
/// admission: <see cref="Validate"/> judges everything the request itself holds, <see cref="PlanAsync"/> reads a
/// workspace's files once the run has its slot.
/// </summary>
public sealed class RunPlanner(LanguageCatalog languages, WorkspaceSource workspaces, IOptions<RunsOptions> options, IOptions<SandboxOptions> sandbox)
{
    public const int MaxArgs = 256;
    public const int MaxArgLength = 4096;
    public const int MaxStdinBytes = 8 << 20;

    /// <summary>Everything about a run that can be judged without reading files; inline files are judged here too.</summary>
    public ValidatedRun Validate(RunSubmission input, RunCaller caller, bool interactive, string source)
    {
        var limits = Limits(input);
        var entry = input.Entry;
        if (ProjectPaths.Problem(entry) is { } entryProblem)
        {
            throw Invalid($"entry {entryProblem}");
        }
        var language = Language(input.Language, entry!);
        if (input.Args.Count > MaxArgs || input.Args.Any(arg => arg.Length > MaxArgLength || arg.Contains('\0', StringComparison.Ordinal)))
        {
            throw Invalid($"args: at most {MaxArgs}, each at most {MaxArgLength} characters without NUL");
        }
        if (input.Stdin.Length > MaxStdinBytes)
        {
            throw new RunRequestException(RunRequestProblem.TooLarge, $"stdin is over {MaxStdinBytes} bytes");
        }

        var project = Source(input.Files, input.WorkspaceId, limits.MemoryBytes, "run");
        if (project.Inline is { } inline)
        {
            CheckEntry(inline, entry!);
        }
        return new ValidatedRun(language, entry!, input.Args, limits, input.Stdin, interactive, project, caller,
            new RunOwner(caller.CallerId, input.WorkspaceId, source));
    }

    /// <summary>The run with its files: a workspace's are read now, so call this only once the run has its slot.</summary>
    public async Task<RunPlan> PlanAsync(ValidatedRun run, CancellationToken cancellationToken)
    {
        var files = await FilesAsync(run.Project, run.Caller, cancellationToken);
        CheckEntry(files, run.Entry);
        return new RunPlan(run.Language, run.Language.PlaceForToolchain(new SourceProject(files, run.Entry, run.Args)), run.Limits, run.Stdin, run.Interactive, run.Owner);
    }

    /// <summary>
    /// Where the project comes from, inline files checked (each path, and the whole within what
    /// a sandbox of <paramref name="memoryBytes"/> can hold); a workspace is not read yet.
    /// </summary>
    public ProjectSource Source(IReadOnlyList<SourceFile>? inline, Guid? workspaceId, long memoryBytes, string purpose)
    {
        var budget = ProjectSize.BudgetFor(memoryBytes, sandbox.Value);
        switch (inline, workspaceId)
        {
            case (not null, not null):
                throw Invalid("give either files or workspaceId, not both");
            case ({ } given, null):
                CheckPaths(given);
                if (ProjectSize.Of(given) > budget)
                {
                    throw ProjectSize.TooLarge(budget);
                }
                break;
            case (null, null):
                throw Invalid($"give the files to {purpose} or a workspaceId");
        }
        return new ProjectSource(inline, workspaceId, budget);
    }

    /// <summary>
    /// The project's files: the inline ones, or the workspace's, read with the caller's token
    /// and refused as soon as they pass the budget, so no more than it is ever held.
    /// </summary>
    public async Task<IReadOnlyList<SourceFile>> FilesAsync(ProjectSource source, RunCaller caller, CancellationToken cancellationToken) =>
        source.Inline ?? CheckPaths(await workspaces.ReadAsync(source.WorkspaceId!.Value, caller.BearerToken, source.MaxBytes, cancellationToken));

    /// <summary>The language asked for, or the one of the entry's extension.</summary>
    public LanguageDefinition Language(string? name, string path)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return languages.Find(name) ?? throw Invalid($"unknown language '{name}'; known: {string.Join(", ", languages.Names)}");
        }
        return languages.ForPath(path) ?? throw Invalid($"no language given and none known for '{path}'; known: {string.Join(", ", languages.Names)}");
    }

    private static IReadOnlyList<SourceFile> CheckPaths(IReadOnlyList<SourceFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (ProjectPaths.Problem(file.Path) is { } problem)
            {
                throw Invalid($"file path '{file.Path}' {problem}");
            }
            if (!seen.Add(file.Path))
            {
                throw Invalid($"file '{file.Path}' is given twice");
            }
        }
        // A path that is also another file's directory cannot be written.
        foreach (var path in seen)
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            while (slash > 0)
            {
                if (seen.Contains(path[..slash]))
                {
                    throw Invalid($"'{path[..slash]}' is both a file and a directory");
                }
                slash = path.IndexOf('/', slash + 1);
            }
        }
        return files;
    }

    private static void CheckEntry(IReadOnlyList<SourceFile> files, string entry)
    {
        if (!files.Any(file => file.Path == entry))
        {
            throw Invalid($"the entry file '{entry}' is not in the project");
        }
    }

    private RunLimits Limits(RunSubmission input)
    {
        var settings = options.Value;
        // Checked before the conversion: a TimeSpan of long.MaxValue milliseconds overflows.
        if (input.TimeoutMs < 0 || input.TimeoutMs > settings.MaxTimeout.TotalMilliseconds)
        {
            throw Invalid($"limits.timeoutMs must be between 1 and {settings.MaxTimeout.TotalMilliseconds:0}");
        }
        var timeout = input.TimeoutMs is null or 0 ? settings.DefaultTimeout : TimeSpan.FromMilliseconds(input.TimeoutMs.Value);
        var memoryMb = input.MemoryMb is null or 0 ? settings.DefaultMemoryMb : input.MemoryMb.Value;
        if (memoryMb < settings.MinMemoryMb || memoryMb > settings.MaxMemoryMb)
        {
            throw Invalid($"limits.memoryMb must be between {settings.MinMemoryMb} and {settings.MaxMemoryMb}");
        }
        var output = input.MaxOutputBytes is null or 0 ? settings.DefaultMaxOutputBytes : input.MaxOutputBytes.Value;
        if (output < 0 || output > settings.MaxMaxOutputBytes)
        {
            throw Invalid($"limits.maxOutputBytes must be between 1 and {settings.MaxMaxOutputBytes}");
        }
        return new RunLimits(timeout, memoryMb << 20, output);
    }

    private static RunRequestException Invalid(string message) => new(RunRequestProblem.Invalid, message);
}
