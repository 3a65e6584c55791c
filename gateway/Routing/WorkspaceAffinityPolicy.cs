using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace WebIde.Gateway.Routing;

/// <summary>
/// Sends every socket of a workspace to one collaboration instance: the one whose rendezvous
/// (highest random weight) score for the workspace id is highest among the destinations YARP
/// offers, which are the healthy ones once a health check has marked one down. So a workspace
/// whose instance dies moves to another, and no other workspace moves: the other scores do not
/// change. Any instance can still serve any document (Redis orders its operations); one instance
/// per workspace spares two instances racing to append to one document, retrying on each
/// conflict, and holding its window of operations twice.
/// <para>
/// Execution's clusters use it too (<c>--scale</c>, more than one execution instance): a
/// workspace's runs, run sockets and language servers go to one instance, whose warm sandbox
/// for the user then serves the next run too, instead of each instance starting its own. So do
/// filesystem's event streams: a workspace's streams share one instance's wake-ups.
/// </para>
/// </summary>
/// <remarks>
/// The score is XxHash64 over the destination id and the workspace id, never
/// <see cref="string.GetHashCode()"/>, which is seeded per process: every gateway process must
/// pick the same instance for the same workspace. Destination ids come from configuration and
/// service discovery (<c>collaboration-1[http://…]</c>), the same in every gateway.
/// System.IO.Hashing comes with YARP, which uses it itself.
/// </remarks>
public sealed class WorkspaceAffinityPolicy : ILoadBalancingPolicy
{
    public const string PolicyName = "WorkspaceAffinity";

    /// <summary>The prefixes of the routes whose next segment is the workspace id.</summary>
    private static readonly PathString[] WorkspacePrefixes = ["/ws/collab", "/ws/exec", "/ws/lsp", "/api/workspaces"];

    // Per cluster, as YARP's own round robin keeps it, so clusters do not skew each other.
    private readonly ConditionalWeakTable<ClusterState, StrongBox<int>> _turns = new();

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        if (WorkspaceOf(context.Request.Path) is { } workspace)
        {
            return PickFor(workspace, availableDestinations);
        }

        // No workspace (/ws/echo): nothing is shared between sockets, so there is no affinity
        // to keep; round robin spreads them as evenly as the default policy did, which is what
        // the echo benchmark, the floor of the collaboration one, should measure.
        var turn = _turns.GetValue(cluster, _ => new StrongBox<int>(-1));
        var next = (uint)Interlocked.Increment(ref turn.Value);
        return availableDestinations[(int)(next % (uint)availableDestinations.Count)];
    }

    /// <summary>The destination with the highest score for the workspace; null when there is none.</summary>
    public static DestinationState? PickFor(string workspace, IReadOnlyList<DestinationState> destinations)
    {
        var key = Encoding.UTF8.GetBytes(workspace);
        var hash = new XxHash64();
        DestinationState? best = null;
        ulong bestScore = 0;
        foreach (var destination in destinations)
        {
            hash.Reset();
            hash.Append(Encoding.UTF8.GetBytes(destination.DestinationId));
            // A separator, so that ("ab", "c") and ("a", "bc") are different inputs.
            hash.Append([0]);
            hash.Append(key);
            var score = hash.GetCurrentHashAsUInt64();

            // Ties (one in 2^64) go to the smaller id, so the order YARP lists them in never matters.
            if (best is null || score > bestScore
                || (score == bestScore && string.CompareOrdinal(destination.DestinationId, best.DestinationId) < 0))
            {
                best = destination;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>
    /// The workspace a request is about: the first segment after <c>/ws/collab/</c>, <c>/ws/exec/</c>,
    /// <c>/ws/lsp/</c> or <c>/api/workspaces/</c>; a GUID in its canonical form, so that differently
    /// cased spellings of one workspace (which the services accept alike) stay together.
    /// </summary>
    public static string? WorkspaceOf(PathString path)
    {
        foreach (var prefix in WorkspacePrefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue)
            {
                var segment = rest.Value.AsSpan(1);
                var end = segment.IndexOf('/');
                if (end >= 0)
                {
                    segment = segment[..end];
                }
                return segment.IsEmpty ? null : Guid.TryParse(segment, out var id) ? id.ToString("D") : segment.ToString();
            }
        }
        return null;
    }
}
