using Microsoft.AspNetCore.Authentication.JwtBearer;
using WebIde.ServiceDefaults.Authentication;
using Yarp.ReverseProxy.Transforms;

namespace WebIde.Gateway.Authentication;

/// <summary>
/// docs/api.md §7: a socket that opens with <c>?ticket=</c> is authenticated with the access token
/// the ticket stands for, redeemed here once, and reaches its service with that token as a bearer
/// header and without the ticket. The services stay as they are, and no token travels in a URL. A
/// ticket that is unknown, spent or expired fails authentication as a bad token does, so each
/// socket refuses it as it refuses a bad token (<see cref="InvalidTokenGuard"/>).
/// </summary>
public static class SocketTicketRedemption
{
    /// <summary>Reads a socket's ticket where the bearer handler looks for its token; anything else as before.</summary>
    public static void Configure(JwtBearerOptions options)
    {
        var readToken = options.Events.OnMessageReceived;
        options.Events.OnMessageReceived = async context =>
        {
            if (!HasTicket(context.Request, out var ticket))
            {
                await readToken(context);
                return;
            }

            // Redis down throws: the request is answered 503 (retry), not 401 (sign in again).
            var token = await context.HttpContext.RequestServices.GetRequiredService<SocketTickets>().RedeemAsync(ticket);
            if (token is null)
            {
                context.Fail("The socket ticket is unknown, spent or expired.");
                return;
            }
            context.Token = token;
            context.Request.Headers.Authorization = $"Bearer {token}";
        };
    }

    /// <summary>A YARP request transform: a socket's ticket, spent or not, goes no further than the gateway.</summary>
    public static ValueTask RemoveTicketAsync(RequestTransformContext context)
    {
        // Touching the query collection when there is no ticket would rebuild the query and lose the raw target.
        if (HasTicket(context.HttpContext.Request, out _))
        {
            context.Query.Collection.Remove(SocketTickets.QueryParameter);
        }
        return ValueTask.CompletedTask;
    }

    private static bool HasTicket(HttpRequest request, out string ticket)
    {
        ticket = "";
        if (!request.Path.StartsWithSegments("/ws") || !request.Query.TryGetValue(SocketTickets.QueryParameter, out var values))
        {
            return false;
        }
        ticket = values.ToString();
        return true;
    }
}
