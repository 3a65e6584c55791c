using System.ComponentModel.DataAnnotations;

namespace WebIde.FileSystem.Events;

/// <summary>How change events are kept and streamed (<c>FileSystem:Events</c>).</summary>
public sealed class ChangeEventsOptions
{
    public const string Section = "FileSystem:Events";

    /// <summary>How long published changes stay replayable for a reconnecting event stream.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often an idle event stream sends a comment, so proxies and clients know it lives.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an event stream and the bus publisher look at the log without being woken.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Event streams one user may have open on an instance; one more is refused with 429.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerUser { get; set; } = 16;
}
