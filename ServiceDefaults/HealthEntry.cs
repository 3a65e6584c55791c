namespace Microsoft.Extensions.Hosting;

public sealed record HealthEntry(string Status, string? Description, double DurationMilliseconds, IReadOnlyDictionary<string, object>? Data = null);
