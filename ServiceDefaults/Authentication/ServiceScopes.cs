namespace WebIde.ServiceDefaults.Authentication;

/// <summary>
/// What a service token may do, each scope named by what it allows. Identity grants each
/// service client the ones it needs (its <c>ServiceClientScopes</c>) and writes them into the
/// token's <c>scope</c> claim, space-separated (RFC 8693 §4.2); each callee demands the one a
/// call needs (<see cref="ServiceScopeExtensions"/>). User tokens never carry scopes.
/// </summary>
public static class ServiceScopes
{
    /// <summary>The claim that carries a token's scopes, space-separated.</summary>
    public const string ClaimType = "scope";

    /// <summary>Ask identity's <c>Authorize</c> about any user in any workspace.</summary>
    public const string MembersRead = "members:read";

    /// <summary>Read any workspace's files over filesystem's gRPC (<c>ReadFile</c>, <c>ListTree</c>, <c>ReadWorkspace</c>).</summary>
    public const string FilesRead = "files:read";

    /// <summary>Write any workspace's files over filesystem's gRPC (<c>WriteFile</c>, <c>WriteFiles</c>) on behalf of a user.</summary>
    public const string FilesWrite = "files:write";

    /// <summary>Run and check code in execution's sandboxes, inline or from any workspace (which execution then reads with its own token).</summary>
    public const string CodeRun = "code:run";

    /// <summary>Every scope there is; a request for any other is refused.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>([MembersRead, FilesRead, FilesWrite, CodeRun], StringComparer.Ordinal);

    /// <summary>The scopes of a <c>scope</c> value (the claim, or the token request's form field).</summary>
    public static IReadOnlySet<string> Parse(string? value) =>
        new HashSet<string>((value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>The <c>scope</c> value of a set of scopes, in a stable order.</summary>
    public static string Format(IEnumerable<string> scopes) =>
        string.Join(' ', scopes.Order(StringComparer.Ordinal));
}
