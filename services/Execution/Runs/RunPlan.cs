using WebIde.Execution.Languages;

namespace WebIde.Execution.Runs;

/// <summary>A validated run, ready for a sandbox.</summary>
public sealed record RunPlan(
    LanguageDefinition Language,
    SourceProject Project,
    RunLimits Limits,
    ReadOnlyMemory<byte> Stdin,
    bool Interactive,
    RunOwner Owner);
