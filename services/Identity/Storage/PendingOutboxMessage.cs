namespace WebIde.Identity.Storage;

/// <summary>
/// A message of the outbox not yet published. <see cref="Sequence"/> orders the outbox (the
/// order the changes were made in). <see cref="Confirmed"/> is false only for an intent
/// (MongoDB, which writes the message before its change): its change may not have happened.
/// </summary>
public sealed record PendingOutboxMessage(long Sequence, OutboxMessage Message, bool Confirmed);
