using Microsoft.Extensions.Options;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// The language servers open on this instance: each user's count, held to
/// <see cref="LanguageServerOptions.MaxPerUser"/>, and each workspace's sessions, which its file
/// events keep current and its deletion closes.
/// </summary>
public sealed class LanguageServerSessions(IOptions<LanguageServerOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, int> _perUser = [];
    private readonly List<LanguageServerSession> _open = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>A place for one more of the user's servers, or false when they have their most already.</summary>
    public bool TryReserve(Guid userId)
    {
        lock (_lock)
        {
            var count = _perUser.GetValueOrDefault(userId);
            if (count >= options.Value.MaxPerUser)
            {
                return false;
            }
            _perUser[userId] = count + 1;
            return true;
        }
    }

    public void Release(Guid userId)
    {
        lock (_lock)
        {
            if (_perUser.TryGetValue(userId, out var count) && count <= 1)
            {
                _perUser.Remove(userId);
            }
            else if (count > 1)
            {
                _perUser[userId] = count - 1;
            }
        }
    }

    public void Add(LanguageServerSession session)
    {
        lock (_lock)
        {
            _open.Add(session);
        }
    }

    public void Remove(LanguageServerSession session)
    {
        lock (_lock)
        {
            _open.Remove(session);
        }
    }

    public IReadOnlyList<LanguageServerSession> InWorkspace(Guid workspaceId)
    {
        lock (_lock)
        {
            return [.. _open.Where(session => session.Key.WorkspaceId == workspaceId)];
        }
    }
}
