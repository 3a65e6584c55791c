using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using WebIde.Collaboration.Documents;
using WebIde.ServiceDefaults.RateLimiting;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// What one user may hold and send on this instance, over all their sockets together: a number
/// of open sockets, and bytes of frames per second. Each socket's own message rate does not
/// bound a user: one account with many sockets could fill Redis with megabyte operations (each
/// kept for the replay history), and every signed-in request needs Redis.
/// </summary>
/// <remarks>
/// A user's entry outlives their sockets until their bytes have refilled, so closing and
/// reopening sockets does not reset the budget.
/// </remarks>
public sealed class UserAllowances(IOptions<CollaborationOptions> options, TimeProvider time)
{
    private readonly Dictionary<Guid, Allowance> _users = [];
    private readonly Lock _lock = new();

    /// <summary>Counts a new socket of <paramref name="userId"/>; false (and nothing counted) when they have the most already.</summary>
    public bool TryOpen(Guid userId, [NotNullWhen(true)] out Allowance? allowance)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out allowance))
            {
                ForgetIdleUsers();
                allowance = new Allowance(this, userId, new TokenBucket(options.Value.UserBytesPerSecond, options.Value.UserByteBurst, time));
                _users[userId] = allowance;
            }
            if (allowance.Sockets >= options.Value.MaxSocketsPerUser)
            {
                allowance = null;
                return false;
            }
            allowance.Sockets++;
            return true;
        }
    }

    private void ForgetIdleUsers()
    {
        foreach (var (userId, idle) in _users.Where(entry => entry.Value.Sockets == 0 && entry.Value.Bytes.IsFull).ToList())
        {
            _users.Remove(userId);
        }
    }

    /// <summary>One user's share, used by each of their sockets.</summary>
    public sealed class Allowance(UserAllowances owner, Guid userId, TokenBucket bytes)
    {
        internal int Sockets { get; set; }

        internal TokenBucket Bytes => bytes;

        public Guid UserId => userId;

        /// <summary>Charges a frame of <paramref name="length"/> bytes; false when the user has sent too much of late (the frame is to be dropped).</summary>
        public bool TrySpend(int length)
        {
            lock (owner._lock)
            {
                return bytes.TryTake(length);
            }
        }

        public void Close()
        {
            lock (owner._lock)
            {
                Sockets--;
            }
        }
    }
}
