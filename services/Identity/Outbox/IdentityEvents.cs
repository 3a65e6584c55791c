using System.Text.Json;
using WebIde.Contracts.Events;
using WebIde.Identity.Storage;

namespace WebIde.Identity.Outbox;

/// <summary>
/// The integration events identity announces, as the outbox keeps them: the contract's name and
/// its JSON. Only these types can be written, and so read back and published.
/// </summary>
public static class IdentityEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> Types = new[]
    {
        typeof(WorkspaceCreated),
        typeof(WorkspaceDeleted),
        typeof(MembershipChanged),
    }.ToDictionary(type => type.Name, StringComparer.Ordinal);

    public static OutboxMessage ToMessage<TEvent>(TEvent integrationEvent, DateTimeOffset now)
        where TEvent : class
    {
        if (!Types.TryGetValue(typeof(TEvent).Name, out var type) || type != typeof(TEvent))
        {
            throw new ArgumentException($"{typeof(TEvent).Name} is not one of identity's integration events.", nameof(integrationEvent));
        }
        return new OutboxMessage(Guid.CreateVersion7(now), type.Name, JsonSerializer.Serialize(integrationEvent, Json), now);
    }

    /// <summary>The event the message holds, and its type to publish it as.</summary>
    public static (object Event, Type Type) Read(OutboxMessage message)
    {
        var type = Types.TryGetValue(message.MessageType, out var known)
            ? known
            : throw new InvalidDataException($"The outbox holds a message of unknown type '{message.MessageType}'.");
        var integrationEvent = JsonSerializer.Deserialize(message.Body, type, Json)
            ?? throw new InvalidDataException($"The outbox holds an empty {message.MessageType}.");
        return (integrationEvent, type);
    }
}
