using WebIde.Execution.Languages;

namespace WebIde.Execution.Runs;

/// <summary>
/// A run request that passed every check the request alone allows: what admission needs to
/// give it a slot. A workspace's files are read only after that, into its <see cref="RunPlan"/>.
/// </summary>
public sealed record ValidatedRun(
    LanguageDefinition Language,
    string Entry,
    IReadOnlyList<string> Args,
    RunLimits Limits,
    ReadOnlyMemory<byte> Stdin,
    bool Interactive,
    ProjectSource Project,
    RunCaller Caller,
    RunOwner Owner);
