namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>What the fakes saw, in order, so a test can tell an invalidation came before a publish.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }
}
