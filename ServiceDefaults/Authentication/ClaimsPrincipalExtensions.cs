using System.Security.Claims;

namespace WebIde.ServiceDefaults.Authentication;

public static class ClaimsPrincipalExtensions
{
    /// <summary>Service tokens carry <c>sub: service:&lt;name&gt;</c> instead of a user's id.</summary>
    public const string ServiceSubjectPrefix = "service:";

    /// <summary>
    /// The user's id from the <c>sub</c> claim (read as is: tokens are validated with
    /// MapInboundClaims off); null for a service token or anything else that is not a user.
    /// </summary>
    public static Guid? GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst("sub")?.Value, out var id) ? id : null;

    /// <summary>For endpoints behind the filter that already refused callers without a user id.</summary>
    public static Guid GetRequiredUserId(this ClaimsPrincipal principal) =>
        principal.GetUserId() ?? throw new InvalidOperationException("The caller is not a user; the endpoint filter should have refused it.");

    public static bool IsService(this ClaimsPrincipal principal) =>
        principal.FindFirst("sub")?.Value is { Length: > 8 } subject
        && subject.StartsWith(ServiceSubjectPrefix, StringComparison.Ordinal);
}
