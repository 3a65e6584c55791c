namespace WebIde.Execution.LanguageServers;

/// <summary>Whose language server it is: one per user, workspace and language while a socket is open.</summary>
public sealed record LanguageServerKey(Guid UserId, Guid WorkspaceId, string Language);
