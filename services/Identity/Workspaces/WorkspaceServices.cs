using WebIde.Identity.Outbox;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Workspaces;

/// <summary>What the workspace endpoints stand on, bound with <c>[AsParameters]</c>.</summary>
public sealed class WorkspaceServices(
    IWorkspaceStore workspaces,
    IUserStore users,
    IRoleCache roles,
    OutboxSignal outbox,
    TimeProvider time,
    ILogger<WorkspaceServices> logger)
{
    public IWorkspaceStore Workspaces { get; } = workspaces;

    public IUserStore Users { get; } = users;

    public IRoleCache Roles { get; } = roles;

    public OutboxSignal Outbox { get; } = outbox;

    public TimeProvider Time { get; } = time;

    public ILogger<WorkspaceServices> Logger { get; } = logger;

    /// <summary>The outbox message of <paramref name="integrationEvent"/>, for the store to write with its change.</summary>
    public OutboxMessage Announcement<TEvent>(TEvent integrationEvent)
        where TEvent : class =>
        IdentityEvents.ToMessage(integrationEvent, Time.GetUtcNow());

    /// <summary>
    /// After the store made a change and wrote its announcement to the outbox: the cache first,
    /// so that hardly anyone who hears of the change can still read the old role from it, then
    /// the dispatcher is woken to publish. The request is answered once the announcement is
    /// durable, not once the broker has it. Neither honours the request's cancellation: the
    /// change is done, the client leaving does not undo it.
    /// </summary>
    public async Task AnnouncedAsync(string what, Func<IRoleCache, Task> invalidate)
    {
        try
        {
            await invalidate(Roles);
        }
        catch (Exception exception)
        {
            // The store has the change; failing the request now would tell the client it did not
            // happen. The event makes every instance's consumer invalidate again, with retries.
            Logger.LogError(exception, "The role cache could not be invalidated for {Event}", what);
        }

        Outbox.Wake();
    }
}
