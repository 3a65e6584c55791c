namespace WebIde.Identity.Outbox;

/// <summary>How the outbox dispatcher paces itself (<c>Identity:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Identity:Outbox";

    /// <summary>
    /// How often an idle dispatcher looks anyway: for messages another instance wrote while this
    /// one held the lease, or that an instance that died left behind. Not the common case's delay:
    /// a write wakes its own instance's dispatcher at once.
    /// </summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the lease on publishing lasts without being renewed (the dispatcher renews it before each message).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one publish may take before it counts as failed (MassTransit waits for a broker that is down).</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How old an unconfirmed intent (MongoDB) must be before it is taken as abandoned and checked against the store.</summary>
    public TimeSpan IntentTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = 100;
}
