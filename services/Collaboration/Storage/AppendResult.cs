namespace WebIde.Collaboration.Storage;

/// <summary>What the append script answered (its numbers are the script's).</summary>
public enum AppendOutcome
{
    Appended = 0,
    /// <summary>The stored head is not where the batch starts; <see cref="AppendResult.Revision"/> is the head.</summary>
    Conflict = 1,
    /// <summary>The document has no state in Redis (never opened, or dropped).</summary>
    Missing = 3,
    /// <summary>Another instance claimed the document since; <see cref="AppendResult.Revision"/> is its epoch.</summary>
    Fenced = 4,
}

public readonly record struct AppendResult(AppendOutcome Outcome, long Revision);
