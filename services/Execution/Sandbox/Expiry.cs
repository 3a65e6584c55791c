namespace WebIde.Execution.Sandbox;

/// <summary>When an idle container of a user is past its time: unused since <paramref name="IdleSince"/>, or started before <paramref name="StartedBefore"/>.</summary>
internal readonly record struct Expiry(DateTimeOffset IdleSince, DateTimeOffset StartedBefore);
