using MassTransit;
using WebIde.Contracts.Events;
using WebIde.FileSystem.Access;
using WebIde.ServiceDefaults.Authorization;

namespace WebIde.FileSystem.Events;

/// <summary>A changed role takes effect here at once instead of when the remembered one expires.</summary>
public sealed class MembershipChangedConsumer(IWorkspaceRoles roles) : IConsumer<MembershipChanged>
{
    public Task Consume(ConsumeContext<MembershipChanged> context)
    {
        roles.Forget(context.Message.WorkspaceId, context.Message.UserId);
        return Task.CompletedTask;
    }
}
