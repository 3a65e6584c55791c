using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.Grpc;

/// <summary>
/// The largest request message the gRPC service reads: the largest valid request, a project at
/// the budget of the largest sandbox with stdin and args at their maxima, and room for the small
/// fields. gRPC refuses a longer message from its length prefix, before reading any of it, with
/// RESOURCE_EXHAUSTED, so a call never has the service hold more than this; a project over its
/// own (smaller) budget that fits is read and refused with INVALID_ARGUMENT (docs/api.md §5).
/// </summary>
public static class RunMessageLimit
{
    /// <summary>A bytes or string field's tag and length: one byte and a varint of at most five.</summary>
    private const int FieldFraming = 6;

    /// <summary>Language, entry (a path of at most 1 KiB), limits and the envelope of RunInteractive's first message.</summary>
    private const int SmallFieldsBytes = 64 * 1024;

    /// <summary>What one UTF-16 unit of an argument can take in UTF-8.</summary>
    private const int MaxUtf8BytesPerChar = 3;

    public static int MaxBytes(RunsOptions runs, SandboxOptions sandbox)
    {
        // Each file's own framing is inside the budget: ProjectSize counts it.
        var project = ProjectSize.BudgetFor((long)runs.MaxMemoryMb << 20, sandbox) + FieldFraming;
        var stdin = RunPlanner.MaxStdinBytes + FieldFraming;
        var args = (long)RunPlanner.MaxArgs * ((RunPlanner.MaxArgLength * MaxUtf8BytesPerChar) + FieldFraming);
        return (int)Math.Min(int.MaxValue, project + stdin + args + SmallFieldsBytes);
    }
}
