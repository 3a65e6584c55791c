using System.Text;
using Microsoft.Extensions.Options;
using WebIde.Execution.Languages;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Runs;

/// <summary>
/// Checks a run request against the rules and limits of docs/api.md §5 and gathers its files, placed where the
/// language's toolchain needs them (<see cref="LanguageDefinition.PlaceForToolchain"/>).
/// </summary>
public sealed class RunPlanner(LanguageCatalog languages, WorkspaceSource workspaces, IOptions<RunsOptions> options, IOptions<SandboxOptions> sandbox)
{
    public const int MaxArgs = 256;
    public const int MaxArgLength = 4096;
    public const int MaxStdinBytes = 8 << 20;

    public async Task<RunPlan> PlanAsync(RunSubmission input, RunCaller caller, bool interactive, string source, CancellationToken cancellationToken)
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

        var files = await ProjectFilesAsync(input.Files, input.WorkspaceId, caller, limits.MemoryBytes, "run", cancellationToken);
        if (!files.Any(file => file.Path == entry))
        {
            throw Invalid($"the entry file '{entry}' is not in the project");
        }

        return new RunPlan(language, language.PlaceForToolchain(new SourceProject(files, entry!, input.Args)), limits, input.Stdin, interactive,
            new RunOwner(caller.CallerId, input.WorkspaceId, source));
    }

    /// <summary>
    /// The project's files, given inline or read from the workspace, each path checked, the
    /// whole within what a sandbox of <paramref name="memoryBytes"/> can hold.
    /// </summary>
    public async Task<IReadOnlyList<SourceFile>> ProjectFilesAsync(IReadOnlyList<SourceFile>? inline, Guid? workspaceId, RunCaller caller, long memoryBytes, string purpose, CancellationToken cancellationToken)
    {
        var files = (inline, workspaceId) switch
        {
            (not null, not null) => throw Invalid("give either files or workspaceId, not both"),
            ({ } given, null) => CheckInline(given),
            (null, { } id) => CheckInline(await workspaces.ReadAsync(id, caller.BearerToken, cancellationToken)),
            _ => throw Invalid($"give the files to {purpose} or a workspaceId"),
        };
        CheckSize(files, memoryBytes);
        return files;
    }

    /// <summary>The language asked for, or the one of the entry's extension.</summary>
    public LanguageDefinition Language(string? name, string path)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return languages.Find(name) ?? throw Invalid($"unknown language '{name}'; known: {string.Join(", ", languages.Names)}");
        }
        return languages.ForPath(path) ?? throw Invalid($"no language given and none known for '{path}'; known: {string.Join(", ", languages.Names)}");
    }

    private IReadOnlyList<SourceFile> CheckInline(IReadOnlyList<SourceFile> files)
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

    private void CheckSize(IReadOnlyList<SourceFile> files, long memoryBytes)
    {
        // Half the scratch disk, which shrinks with the memory limit: the rest is for build output and the program's own files.
        var budget = new SandboxShape(memoryBytes).ScratchBytes(sandbox.Value.ScratchBytes) / 2;
        var total = files.Sum(file => (long)file.Content.Length + Encoding.UTF8.GetByteCount(file.Path));
        if (total > budget)
        {
            throw new RunRequestException(RunRequestProblem.TooLarge, $"the project is {total} bytes; a sandbox takes at most {budget}");
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
