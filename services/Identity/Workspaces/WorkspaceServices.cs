using MassTransit;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Workspaces;

/// <summary>What the workspace endpoints stand on, bound with <c>[AsParameters]</c>.</summary>
public sealed class WorkspaceServices(
    IWorkspaceStore workspaces,
    IUserStore users,
    IRoleCache roles,
    IPublishEndpoint publisher,
    ILogger<WorkspaceServices> logger)
{
    public IWorkspaceStore Workspaces { get; } = workspaces;

    public IUserStore Users { get; } = users;

    public IRoleCache Roles { get; } = roles;

    public IPublishEndpoint Publisher { get; } = publisher;

    public ILogger<WorkspaceServices> Logger { get; } = logger;

    /// <summary>
    /// Tells the rest of the platform about a change the store has made: the cache first, so
    /// no one who hears of the change can still read the old role from it, then the bus.
    /// Neither honours the request's cancellation: the change is done, the client leaving
    /// does not undo it.
    /// </summary>
    public async Task AnnounceAsync<TEvent>(TEvent integrationEvent, Func<IRoleCache, Task> invalidate)
        where TEvent : class
    {
        try
        {
            await invalidate(Roles);
        }
        catch (Exception exception)
        {
            // The store has the change; failing the request now would tell the client it did not
            // happen. The event below makes every instance's consumer invalidate again, with retries.
            Logger.LogError(exception, "The role cache could not be invalidated for {Event}", typeof(TEvent).Name);
        }

        await Publisher.Publish(integrationEvent, CancellationToken.None);
    }
}
