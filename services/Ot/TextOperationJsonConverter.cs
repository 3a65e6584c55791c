using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace WebIde.Ot;

/// <summary>
/// ot.js's JSON form of a <see cref="TextOperation"/>: an array whose positive integers retain,
/// strings insert and negative integers delete. Writes what JSON.stringify writes, byte for
/// byte, whatever encoder the serializer options carry.
/// </summary>
public sealed class TextOperationJsonConverter : JsonConverter<TextOperation>
{
    private const string Shape = "a component is a non-zero integer between -2147483647 and 2147483647 (retain when positive, delete when negative) or a string (insert)";

    public override TextOperation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReadOperation(ref reader);

    public override void Write(Utf8JsonWriter writer, TextOperation value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteRawValue(Format(value));
    }

    internal static string Format(TextOperation operation)
    {
        var json = new StringBuilder().Append('[');
        var first = true;
        foreach (var component in operation.Components)
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            switch (component)
            {
                case RetainOp retain:
                    json.Append(retain.Count.ToString(CultureInfo.InvariantCulture));
                    break;
                case DeleteOp delete:
                    json.Append('-').Append(delete.Count.ToString(CultureInfo.InvariantCulture));
                    break;
                case InsertOp insert:
                    JsonStringCodec.AppendQuoted(json, insert.Text);
                    break;
            }
        }

        return json.Append(']').ToString();
    }

    internal static TextOperation Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read())
        {
            throw new JsonException("A text operation is a JSON array; the input is empty.");
        }

        var operation = ReadOperation(ref reader);
        // Trailing content makes the reader throw; a second value must not pass unnoticed either.
        if (reader.Read())
        {
            throw new JsonException("A text operation is a single JSON array; more follows it.");
        }

        return operation;
    }

    private static TextOperation ReadOperation(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"A text operation is a JSON array, not {Describe(ref reader)}.");
        }

        var builder = new TextOperationBuilder();
        var index = 0;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.Number when reader.TryGetInt32(out var count) && count is not 0 and not int.MinValue:
                        if (count > 0)
                        {
                            builder.Retain(count);
                        }
                        else
                        {
                            builder.Delete(-count);
                        }

                        break;
                    case JsonTokenType.String:
                        // Like ot.js, an empty string is accepted and inserts nothing.
                        builder.Insert(ReadString(ref reader));
                        break;
                    default:
                        throw new JsonException($"Component {index} of the text operation is {Describe(ref reader)}; {Shape}.");
                }

                index++;
            }
        }
        catch (OverflowException exception)
        {
            throw new JsonException("The text operation spans more than 2147483647 code units.", exception);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("The text operation's array is not closed.");
        }

        return builder.ToOperation();
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        try
        {
            if (reader.ValueIsEscaped)
            {
                return JsonStringCodec.Unescape(raw);
            }

            return Utf8.IsValid(raw) ? Encoding.UTF8.GetString(raw) : throw new DecoderFallbackException();
        }
        catch (DecoderFallbackException exception)
        {
            throw new JsonException("An insert of the text operation is not valid UTF-8.", exception);
        }
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.HasValueSequence
            ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray())
            : Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.String => "a string",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };
}
