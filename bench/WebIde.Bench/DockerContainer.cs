namespace WebIde.Bench;

/// <param name="Created">Unix seconds.</param>
public sealed record DockerContainer(string Id, long Created, IReadOnlyDictionary<string, string> Labels);
