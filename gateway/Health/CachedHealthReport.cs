using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace WebIde.Gateway.Health;

/// <summary>
/// One round of health checks (every service asked, the gateway's Redis) shared by every <c>/health</c> request:
/// a round starts at most once per <see cref="GatewayHealthOptions.CacheFor"/>, and requests that come while one
/// runs wait for that one. So <c>/health</c>, which anyone may ask without a token, costs the services the same
/// at a thousand requests a second as at one.
/// </summary>
public sealed class CachedHealthReport(Func<Task<HealthReport>> check, IOptions<GatewayHealthOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Task<HealthReport>? _round;
    private DateTimeOffset _startedAt;

    public Task<HealthReport> GetAsync()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_round is null || (_round.IsCompleted && now - _startedAt >= options.Value.CacheFor))
            {
                _startedAt = now;
                _round = check();
            }
            return _round;
        }
    }
}
