namespace WebIde.ServiceDefaults.RateLimiting;

/// <summary>
/// A steady rate with room for bursts (a paste, a quick typist): messages per connection, or
/// bytes per user. Not thread-safe: one per socket taken from its receive loop, or taken under a lock.
/// </summary>
public sealed class TokenBucket(double perSecond, double capacity, TimeProvider time)
{
    private double _spent;
    private long _last = time.GetTimestamp();

    public bool TryTake() => TryTake(1);

    /// <summary>Takes <paramref name="amount"/> if the bucket holds it; a refused take spends nothing.</summary>
    public bool TryTake(double amount)
    {
        var now = time.GetTimestamp();
        _spent = Math.Max(0, _spent - (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
        if (_spent + amount > capacity)
        {
            return false;
        }
        _spent += amount;
        return true;
    }

    /// <summary>True when a take of the whole capacity would succeed: the bucket has forgotten all it was charged.</summary>
    public bool IsFull
    {
        get
        {
            var refilled = time.GetElapsedTime(_last).TotalSeconds * perSecond;
            return _spent <= refilled;
        }
    }
}
