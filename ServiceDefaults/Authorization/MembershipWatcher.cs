using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WebIde.ServiceDefaults.Authorization;

/// <summary>
/// Re-checks the role behind every long-lived connection of this instance (collaborative
/// sockets, file event streams, run and language server sockets) every <see cref="Interval"/>,
/// so a removed member, or everyone of a deleted workspace, is let go within a second even when
/// identity's event is late (the broker down, a consumer retrying). The events still act at once
/// where they arrive; this is the backstop that does not depend on them.
/// </summary>
/// <remarks>
/// <para>
/// Each round asks identity once per distinct (workspace, user) pair with a watch, past this
/// instance's own cache (<see cref="IWorkspaceRoles.RefreshAsync"/>, which also refreshes that
/// cache, so requests see the new role as soon as the connections do); identity answers from its
/// Redis cache, which a membership change invalidates before it is answered. A pair whose role
/// changed has every watch of it called back with the new role: <see cref="WorkspaceRole.None"/>
/// means the connection is to close (identity does not tell a removal from a deletion).
/// </para>
/// <para>
/// When identity cannot answer, connections are kept (a down identity must not cut everyone
/// off); the outage is logged once, and its end.
/// </para>
/// </remarks>
public sealed partial class MembershipWatcher(IWorkspaceRoles roles, TimeProvider time, ILogger<MembershipWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    // Bounds the round's calls in flight: one HTTP/2 connection carries them all.
    private const int MaxConcurrentChecks = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<(Guid WorkspaceId, Guid UserId), List<MembershipWatch>> _watches = [];
    private bool _identityFailing;

    // Started with the watcher, not when the host gets round to running it: the rounds keep to the clock from the start.
    private readonly PeriodicTimer _timer = new(Interval, time);

    /// <summary>How many distinct (workspace, user) pairs are watched: the number of calls a round makes.</summary>
    public int Pairs
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>
    /// Watches a connection let in with <paramref name="admitted"/>; <paramref name="changed"/> is
    /// called with each new role (<see cref="WorkspaceRole.None"/>: close it). Dispose the result
    /// when the connection ends.
    /// </summary>
    public MembershipWatch Watch(Guid workspaceId, Guid userId, WorkspaceRole admitted, Func<WorkspaceRole, Task> changed)
    {
        var watch = new MembershipWatch(workspaceId, userId, admitted, changed, Unwatch);
        lock (_lock)
        {
            if (!_watches.TryGetValue((workspaceId, userId), out var list))
            {
                _watches[(workspaceId, userId)] = list = [];
            }
            list.Add(watch);
        }
        return watch;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: every watched pair asked once, every watch whose role changed called back.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        (Guid WorkspaceId, Guid UserId)[] pairs;
        lock (_lock)
        {
            pairs = [.. _watches.Keys];
        }

        var failures = 0;
        Exception? failure = null;
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentChecks, CancellationToken = cancellationToken },
            async (pair, token) =>
            {
                WorkspaceRole fresh;
                try
                {
                    fresh = await roles.RefreshAsync(pair.WorkspaceId, pair.UserId, token);
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    failure = exception;
                    return;
                }
                MembershipWatch[] watches;
                lock (_lock)
                {
                    watches = _watches.TryGetValue(pair, out var list) ? [.. list] : [];
                }
                foreach (var watch in watches.Where(watch => watch.TryChange(fresh)))
                {
                    await NotifyAsync(watch, fresh);
                }
            });

        if (failures > 0 && !_identityFailing)
        {
            _identityFailing = true;
            LogIdentityUnreachable(logger, failure, failures, pairs.Length);
        }
        else if (failures == 0 && _identityFailing)
        {
            _identityFailing = false;
            LogIdentityBack(logger);
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    private async Task NotifyAsync(MembershipWatch watch, WorkspaceRole fresh)
    {
        LogRoleChanged(logger, watch.UserId, watch.WorkspaceId, fresh);
        try
        {
            await watch.ChangedAsync(fresh);
        }
        catch (Exception exception)
        {
            LogCallbackFailed(logger, exception, watch.UserId, watch.WorkspaceId);
        }
    }

    private void Unwatch(MembershipWatch watch)
    {
        lock (_lock)
        {
            if (_watches.TryGetValue((watch.WorkspaceId, watch.UserId), out var list) && list.Remove(watch) && list.Count == 0)
            {
                _watches.Remove((watch.WorkspaceId, watch.UserId));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The role of {UserId} in workspace {WorkspaceId} is now {Role}; their open connections follow")]
    private static partial void LogRoleChanged(ILogger logger, Guid userId, Guid workspaceId, WorkspaceRole role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity could not re-check {Failed} of {Pairs} memberships of open connections; they are kept until it answers")]
    private static partial void LogIdentityUnreachable(ILogger logger, Exception? exception, int failed, int pairs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity answers the membership re-checks again")]
    private static partial void LogIdentityBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying the new role of {UserId} in workspace {WorkspaceId} to a connection failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception, Guid userId, Guid workspaceId);
}
