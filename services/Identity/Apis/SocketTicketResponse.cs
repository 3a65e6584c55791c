namespace WebIde.Identity.Apis;

/// <summary>What <c>POST /api/auth/ticket</c> answers (docs/api.md §7).</summary>
/// <param name="ExpiresIn">Seconds the ticket can be used in, at most 30.</param>
public sealed record SocketTicketResponse(string Ticket, int ExpiresIn);
