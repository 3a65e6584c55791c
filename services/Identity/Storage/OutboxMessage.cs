namespace WebIde.Identity.Storage;

/// <summary>
/// An integration event as identity's outbox keeps it until the broker has it: its contract's
/// name (<see cref="MessageType"/>, e.g. <c>MembershipChanged</c>) and its JSON body.
/// <see cref="MessageId"/> is the id it is published with, so a consumer can tell a repeat.
/// </summary>
public sealed record OutboxMessage(Guid MessageId, string MessageType, string Body, DateTimeOffset CreatedAt);
