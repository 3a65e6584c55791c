using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.Identity.Workspaces;

/// <summary>
/// The instance that made a change invalidated the cache already; this is the backstop for
/// when it could not (Redis unreachable at that moment): a failed invalidation faults the
/// message, and the bus retries it.
/// </summary>
public sealed class MembershipChangedConsumer(IRoleCache roles) : IConsumer<MembershipChanged>
{
    public Task Consume(ConsumeContext<MembershipChanged> context) =>
        roles.InvalidateAsync(context.Message.WorkspaceId, context.Message.UserId, context.CancellationToken);
}
