namespace WebIde.IntegrationTests.Collaboration;

/// <summary>One instance of the collaboration service: its orchestrator resource id and the pid of the process that serves.</summary>
public sealed record CollaborationReplica(string ResourceId, int ServerPid);
