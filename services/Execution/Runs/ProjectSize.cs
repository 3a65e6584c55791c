using System.Text;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Runs;

/// <summary>
/// How large a project a sandbox takes, and how a project is measured against that: each file
/// by its path, its content and <see cref="PerFileBytes"/> for the file itself. Inline files and
/// a workspace's are measured alike.
/// </summary>
public static class ProjectSize
{
    /// <summary>
    /// What a file costs beyond its path and content. At least its framing in a gRPC request (a
    /// tag and a length for the file, its path and its content: at most 15 bytes), so that a
    /// project within its budget never needs a request message larger than the service reads
    /// (<see cref="Grpc.RunMessageLimit"/>), however many small files it has.
    /// </summary>
    public const int PerFileBytes = 16;

    public static long Of(string path, long contentBytes) => Encoding.UTF8.GetByteCount(path) + contentBytes + PerFileBytes;

    public static long Of(IEnumerable<SourceFile> files) => files.Sum(file => Of(file.Path, file.Content.Length));

    /// <summary>
    /// Half the scratch disk of a sandbox of <paramref name="memoryBytes"/>, which shrinks with
    /// its memory limit: the rest is for build output and the program's own files.
    /// </summary>
    public static long BudgetFor(long memoryBytes, SandboxOptions sandbox) => new SandboxShape(memoryBytes).ScratchBytes(sandbox.ScratchBytes) / 2;

    public static RunRequestException TooLarge(long budget) =>
        new(RunRequestProblem.TooLarge, $"the project is over {budget} bytes, the most a sandbox of this memory limit takes (each file counts its path, its content and {PerFileBytes} bytes)");
}
