namespace WebIde.ServiceDefaults.RateLimiting;

/// <summary>Messages per connection: a steady rate with room for bursts (a paste, a quick typist). Not thread-safe: one per socket, taken from its receive loop.</summary>
public sealed class TokenBucket(double perSecond, double capacity, TimeProvider time)
{
    private double _spent;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _spent = Math.Max(0, _spent - (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
        _last = now;
        if (_spent + 1 > capacity)
        {
            return false;
        }
        _spent += 1;
        return true;
    }
}
