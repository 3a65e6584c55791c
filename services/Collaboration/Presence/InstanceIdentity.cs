namespace WebIde.Collaboration.Presence;

/// <summary>This process among the collaboration instances: whose peers and leases are whose.</summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}".ToLowerInvariant();
}
