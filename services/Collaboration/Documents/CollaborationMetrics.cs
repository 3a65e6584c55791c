using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebIde.Collaboration.Documents;

/// <summary>What operators watch: open documents and connections, operations, how far they were transformed, how far the files lag.</summary>
public sealed class CollaborationMetrics
{
    public const string Name = "WebIde.Collaboration";

    public static readonly ActivitySource Activities = new(Name);

    /// <summary>One operation in this many gets a span: a span per keystroke would cost more than the keystroke.</summary>
    public const int OperationSpanEvery = 100;

    private static long _sampledOperations;

    private readonly UpDownCounter<long> _documents;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _operations;
    private readonly Histogram<int> _transformDepth;
    private readonly Histogram<double> _persistenceLag;
    private readonly Histogram<double> _operationDuration;
    private readonly Histogram<int> _commitDocuments;
    private readonly Histogram<int> _commitOperations;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _snapshotFiles;

    public CollaborationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _documents = meter.CreateUpDownCounter<long>("webide.collab.documents.open", description: "Documents open on this instance");
        _connections = meter.CreateUpDownCounter<long>("webide.collab.connections", description: "Editor WebSocket connections on this instance");
        _operations = meter.CreateCounter<long>("webide.collab.operations", description: "Operations applied from this instance's editors");
        _transformDepth = meter.CreateHistogram<int>("webide.collab.transform.depth", description: "Concurrent operations an incoming one was transformed against");
        _persistenceLag = meter.CreateHistogram<double>("webide.collab.persistence.lag", unit: "s", description: "Age of the oldest change a snapshot wrote to the file");
        _operationDuration = meter.CreateHistogram<double>("webide.collab.operation.duration", unit: "s", description: "From an operation's arrival to its acknowledgement");
        _commitDocuments = meter.CreateHistogram<int>("webide.collab.commit.documents", description: "Documents whose operations went to Redis in one round trip");
        _commitOperations = meter.CreateHistogram<int>("webide.collab.commit.operations", description: "Operations that went to Redis in one round trip");
        _commitDuration = meter.CreateHistogram<double>("webide.collab.commit.duration", unit: "s", description: "One round trip of the group committer");
        _snapshotFiles = meter.CreateHistogram<int>("webide.collab.snapshot.files", description: "Documents written to their files in one call to filesystem");
    }

    public void DocumentOpened() => _documents.Add(1);

    public void DocumentClosed() => _documents.Add(-1);

    public void Connected() => _connections.Add(1);

    public void Disconnected() => _connections.Add(-1);

    public void OperationSequenced(int transformDepth)
    {
        _operations.Add(1);
        _transformDepth.Record(transformDepth);
    }

    public void OperationAcknowledged(TimeSpan duration) => _operationDuration.Record(duration.TotalSeconds);

    public void CommitRound(int documents, int operations, TimeSpan duration)
    {
        _commitDocuments.Record(documents);
        _commitOperations.Record(operations);
        _commitDuration.Record(duration.TotalSeconds);
    }

    /// <summary>A span for one operation in <see cref="OperationSpanEvery"/>, ended when it is acked; it does not become the current activity.</summary>
    public static Activity? StartSampledOperationSpan(DocumentKey key, long? revision)
    {
        if (Interlocked.Increment(ref _sampledOperations) % OperationSpanEvery != 0 || !Activities.HasListeners())
        {
            return null;
        }
        var current = Activity.Current;
        var span = Activities.StartActivity("collab op");
        span?.SetTag("webide.workspace", key.WorkspaceId).SetTag("webide.path", key.Path).SetTag("webide.revision", revision);
        Activity.Current = current;
        return span;
    }

    public static void StopSpan(Activity? span, long? revision = null, string? error = null)
    {
        if (span is null)
        {
            return;
        }
        var current = Activity.Current;
        if (revision is not null)
        {
            span.SetTag("webide.revision.applied", revision);
        }
        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
        }
        span.Stop();
        Activity.Current = current;
    }

    public void SnapshotWritten(TimeSpan lag) => _persistenceLag.Record(lag.TotalSeconds);

    public void SnapshotsWrittenTogether(int files) => _snapshotFiles.Record(files);
}
