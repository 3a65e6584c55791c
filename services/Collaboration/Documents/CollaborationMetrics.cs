using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebIde.Collaboration.Documents;

/// <summary>What operators watch: open documents and connections, operations, how far they were transformed, how far the files lag.</summary>
public sealed class CollaborationMetrics
{
    public const string Name = "WebIde.Collaboration";

    public static readonly ActivitySource Activities = new(Name);

    private readonly UpDownCounter<long> _documents;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _operations;
    private readonly Histogram<int> _transformDepth;
    private readonly Histogram<double> _persistenceLag;
    private readonly Histogram<double> _operationDuration;

    public CollaborationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _documents = meter.CreateUpDownCounter<long>("webide.collab.documents.open", description: "Documents open on this instance");
        _connections = meter.CreateUpDownCounter<long>("webide.collab.connections", description: "Editor WebSocket connections on this instance");
        _operations = meter.CreateCounter<long>("webide.collab.operations", description: "Operations applied from this instance's editors");
        _transformDepth = meter.CreateHistogram<int>("webide.collab.transform.depth", description: "Concurrent operations an incoming one was transformed against");
        _persistenceLag = meter.CreateHistogram<double>("webide.collab.persistence.lag", unit: "s", description: "Age of the oldest change a snapshot wrote to the file");
        _operationDuration = meter.CreateHistogram<double>("webide.collab.operation.duration", unit: "s", description: "From an operation's arrival to its acknowledgement");
    }

    public void DocumentOpened() => _documents.Add(1);

    public void DocumentClosed() => _documents.Add(-1);

    public void Connected() => _connections.Add(1);

    public void Disconnected() => _connections.Add(-1);

    public void OperationApplied(int transformDepth, TimeSpan duration)
    {
        _operations.Add(1);
        _transformDepth.Record(transformDepth);
        _operationDuration.Record(duration.TotalSeconds);
    }

    public void SnapshotWritten(TimeSpan lag) => _persistenceLag.Record(lag.TotalSeconds);
}
