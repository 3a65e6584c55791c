namespace WebIde.Collaboration.Storage;

public enum AppendOutcome
{
    Appended,
    /// <summary>Another operation took that revision first; <see cref="AppendResult.Revision"/> is the head now.</summary>
    Conflict,
    /// <summary>The id was applied before, at <see cref="AppendResult.Revision"/>.</summary>
    Duplicate,
    /// <summary>The document has no state in Redis (never opened, or dropped).</summary>
    Missing,
}

public readonly record struct AppendResult(AppendOutcome Outcome, long Revision);
