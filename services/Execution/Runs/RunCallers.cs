using System.Security.Claims;
using Microsoft.Net.Http.Headers;
using WebIde.ServiceDefaults.Authentication;

namespace WebIde.Execution.Runs;

public static class RunCallers
{
    /// <summary>
    /// The caller of a request. A user's own token goes on to the filesystem, which then applies
    /// the user's role; a service's is not needed there (execution uses its own). A service gets
    /// here only with the <c>code:run</c> scope (the endpoints demand it).
    /// </summary>
    public static RunCaller From(HttpContext context)
    {
        var subject = context.User.FindFirst("sub")?.Value ?? throw new InvalidOperationException("an authenticated caller has a subject");
        if (context.User.IsService())
        {
            return new RunCaller(subject, null);
        }

        var header = context.Request.Headers[HeaderNames.Authorization].ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : context.Request.Query["access_token"].ToString();
        return new RunCaller(subject, token);
    }
}
