using Microsoft.Extensions.Options;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>A user's allowance with the default limits, for sockets served alone.</summary>
public static class AnyAllowance
{
    public static UserAllowances.Allowance Of(CollaborationOptions? options = null)
    {
        var allowances = new UserAllowances(Options.Create(options ?? new CollaborationOptions()), TimeProvider.System);
        allowances.TryOpen(Guid.NewGuid(), out var allowance);
        return allowance!;
    }
}
