namespace WebIde.Identity.Storage;

public sealed record Workspace(Guid Id, string Name, DateTimeOffset CreatedAt);
