using WebIde.Execution.Checks;

namespace WebIde.Execution.Languages;

/// <summary>
/// Which files make up the Go package of a file, for the run's build and the check alike: the <c>.go</c> files
/// directly in its folder, named one by one. Building the folder instead (<c>go build ./dir</c>) takes every file
/// in it, and a folder that also holds C files (another language's program beside the Go one) then fails with
/// "C source files not allowed when not using cgo". Files of sub-folders are other packages, and go leaves out
/// names starting with <c>_</c> or <c>.</c> from a folder, so they are left out here too.
/// </summary>
/// <remarks>
/// Go gives named files one difference from a folder: their build constraints (<c>//go:build</c> lines,
/// <c>_windows.go</c> suffixes) are not applied, every named file is compiled.
/// </remarks>
public static class GoPackageFiles
{
    /// <param name="file">The entry or the checked file, relative to the project root; always among the result, so a file
    /// that is not a <c>.go</c> file meets go's own error rather than a build of something else.</param>
    /// <param name="projectPaths">Every file of the project, relative to its root.</param>
    /// <param name="withTests">Whether <c>_test.go</c> files count: a program is built without them, a check vets them too.</param>
    /// <returns>Paths relative to the project root, in ordinal order so that a build is the same whatever order the files came in.</returns>
    public static IReadOnlyList<string> Of(string file, IEnumerable<string> projectPaths, bool withTests)
    {
        var folder = CheckCommands.DirectoryOf(file);
        return [.. projectPaths
            .Where(path => CheckCommands.DirectoryOf(path) == folder && IsPackageSource(CheckCommands.FileNameOf(path), withTests))
            .Append(file)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    private static bool IsPackageSource(string name, bool withTests) =>
        name.EndsWith(".go", StringComparison.Ordinal)
        && !name.StartsWith('_') && !name.StartsWith('.')
        && (withTests || !name.EndsWith("_test.go", StringComparison.Ordinal));
}
