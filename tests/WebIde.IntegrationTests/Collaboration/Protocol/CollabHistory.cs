namespace WebIde.IntegrationTests.Collaboration.Protocol;

/// <summary>How long the test platform keeps a document's operations replayable (production keeps 10 minutes).</summary>
public static class CollabHistory
{
    public static readonly TimeSpan Kept = TimeSpan.FromSeconds(8);
}
