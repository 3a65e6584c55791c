using System.Text.Json;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;
using WebIde.Ot;

namespace WebIde.Collaboration.Sockets;

/// <summary>Reads one client frame; anything malformed is an <c>invalid_op</c> error that names what is wrong.</summary>
public static class ClientMessageReader
{
    public const int MaxIdLength = 128;
    public const int MaxSelections = 100;

    private static readonly TextOperationJsonConverter OpReader = new();

    public static ClientMessage Read(ReadOnlySpan<byte> frame)
    {
        try
        {
            return ReadMessage(frame);
        }
        catch (ProtocolException refused)
        {
            // The client matches a refusal to its pending op by id and to its document by path,
            // wherever in the message they were and whatever else in it was wrong.
            var (id, path) = FindIdAndPath(frame);
            throw new ProtocolException(refused.Code, refused.Message, refused.OperationId ?? id, path);
        }
    }

    private static ClientMessage ReadMessage(ReadOnlySpan<byte> frame)
    {
        string? type = null, path = null, id = null;
        long? revision = null;
        TextOperation? op = null;
        List<Selection>? selections = null;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("a message is a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type":
                        type = JsonText.ReadString(ref reader);
                        break;
                    case "path":
                        path = JsonText.ReadString(ref reader);
                        break;
                    case "id":
                        id = JsonText.ReadString(ref reader);
                        break;
                    case "revision" when reader.TokenType == JsonTokenType.Null:
                        break;
                    case "revision":
                        if (!reader.TryGetInt64(out var value) || value < 0)
                        {
                            throw Invalid("revision is a whole number, 0 or more");
                        }
                        revision = value;
                        break;
                    case "op":
                        op = ReadOp(ref reader);
                        break;
                    case "selections":
                        selections = ReadSelections(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Invalid("a message is one JSON object");
            }
        }
        catch (JsonException exception)
        {
            throw Invalid($"the message is not valid JSON of the protocol: {exception.Message}", id);
        }
        catch (InvalidOperationException exception)
        {
            throw Invalid($"the message is not valid JSON of the protocol: {exception.Message}", id);
        }

        if (path is null)
        {
            throw Invalid("every message names its document's path", id);
        }
        return type switch
        {
            "join" => new ClientMessage(type, path, Revision: revision),
            "op" => ReadOpMessage(path, revision, id, op),
            "selection" => new ClientMessage(type, path, Selections: selections ?? throw Invalid("a selection message carries selections")),
            "leave" => new ClientMessage(type, path),
            _ => throw Invalid("type is join, op, selection or leave", id),
        };
    }

    /// <summary>The message's top-level id (if it is a valid one) and path, read as far as the JSON allows.</summary>
    private static (string? Id, string? Path) FindIdAndPath(ReadOnlySpan<byte> frame)
    {
        string? id = null, path = null;
        bool seenId = false, seenPath = false;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }
            while (!(seenId && seenPath) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = !seenId && reader.ValueTextEquals("id"u8);
                var isPath = !seenPath && reader.ValueTextEquals("path"u8);
                reader.Read();
                if ((isId || isPath) && reader.TokenType == JsonTokenType.String)
                {
                    var text = JsonText.ReadString(ref reader);
                    if (isId)
                    {
                        id = text is { Length: > 0 and <= MaxIdLength } ? text : null;
                    }
                    else
                    {
                        path = text;
                    }
                }
                else
                {
                    reader.Skip();
                }
                seenId |= isId;
                seenPath |= isPath;
            }
        }
        catch (JsonException)
        {
        }
        return (id, path);
    }

    private static ClientMessage ReadOpMessage(string path, long? revision, string? id, TextOperation? op)
    {
        if (id is not { Length: > 0 and <= MaxIdLength })
        {
            throw Invalid($"an op carries an id of 1 to {MaxIdLength} characters");
        }
        if (revision is null)
        {
            throw Invalid("an op carries the last revision its sender has seen", id);
        }
        if (op is null)
        {
            throw Invalid("an op carries op, an operation in ot.js's JSON form", id);
        }
        return new ClientMessage("op", path, revision, id, op);
    }

    private static TextOperation ReadOp(ref Utf8JsonReader reader)
    {
        try
        {
            return OpReader.Read(ref reader, typeof(TextOperation), JsonSerializerOptions.Default);
        }
        catch (TextOperationException exception)
        {
            throw new JsonException(exception.Message, exception);
        }
    }

    private static List<Selection> ReadSelections(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("selections is an array of {anchor, head}");
        }
        var selections = new List<Selection>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int? anchor = null, head = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "anchor":
                        anchor = ReadPosition(ref reader);
                        break;
                    case "head":
                        head = ReadPosition(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (anchor is not >= 0 || head is not >= 0)
            {
                throw new JsonException("a selection is {anchor, head}, both 0 or more");
            }
            selections.Add(new Selection(anchor.Value, head.Value));
            if (selections.Count > MaxSelections)
            {
                throw new JsonException($"at most {MaxSelections} selections");
            }
        }
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("selections is an array of {anchor, head}");
        }
        return selections;
    }

    // GetInt32 would throw FormatException for 1.5 or 3000000000, which is no protocol error and would end the connection.
    private static int ReadPosition(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var position)
            ? position
            : throw new JsonException("anchor and head are whole numbers");

    private static ProtocolException Invalid(string message, string? id = null) => new(ErrorCodes.InvalidOp, message, id);
}
