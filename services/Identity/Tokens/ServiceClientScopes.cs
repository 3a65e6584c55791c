using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Identity.Tokens;

/// <summary>
/// Which service client gets which scopes: what its calls to the other services need, and no
/// more (docs/platform.md, "Service identity"). A client with a secret but no row here gets a
/// token with no scope, which no callee accepts for anything but what any token may do.
/// </summary>
public static class ServiceClientScopes
{
    private static readonly Dictionary<string, IReadOnlySet<string>> Granted = new(StringComparer.Ordinal)
    {
        // Asks identity for callers' roles (its REST API and watched connections).
        ["filesystem"] = Set(ServiceScopes.MembersRead),
        // Roles for its sockets; reads documents' files and snapshots them back on behalf of their editors.
        ["collaboration"] = Set(ServiceScopes.MembersRead, ServiceScopes.FilesRead, ServiceScopes.FilesWrite),
        // Roles for its sockets; reads files into language servers' sandboxes as they change.
        ["execution"] = Set(ServiceScopes.MembersRead, ServiceScopes.FilesRead),
    };

    public static IReadOnlySet<string> For(string clientId) =>
        Granted.TryGetValue(clientId, out var scopes) ? scopes : new HashSet<string>();

    private static HashSet<string> Set(params string[] scopes) => new(scopes, StringComparer.Ordinal);
}
