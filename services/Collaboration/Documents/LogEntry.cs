using System.Globalization;
using System.Text;
using System.Text.Json;
using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// One operation in a document's log: it turned revision <c>Revision - 1</c> into
/// <see cref="Revision"/>. <see cref="ClientId"/> is the connection that sent it (or
/// <c>file</c> for a change made outside the editor); <see cref="Id"/> is the sender's id for it.
/// </summary>
public sealed record LogEntry(long Revision, TextOperation Op, string ClientId, string Id, Guid UserId, long AtUnixMs)
{
    private static readonly TextOperationJsonConverter OpReader = new();

    public string ToJson() => new StringBuilder()
        .Append("{\"revision\":").Append(Revision.ToString(CultureInfo.InvariantCulture))
        .Append(",\"op\":").Append(Op.ToJson())
        .Append(",\"clientId\":").AppendQuoted(ClientId)
        .Append(",\"id\":").AppendQuoted(Id)
        .Append(",\"userId\":\"").Append(UserId.ToString("D")).Append('"')
        .Append(",\"at\":").Append(AtUnixMs.ToString(CultureInfo.InvariantCulture))
        .Append('}').ToString();

    public static LogEntry Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        long revision = 0, at = 0;
        TextOperation? op = null;
        string clientId = "", id = "";
        var userId = Guid.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "revision":
                    revision = reader.GetInt64();
                    break;
                case "op":
                    op = OpReader.Read(ref reader, typeof(TextOperation), JsonSerializerOptions.Default);
                    break;
                case "clientId":
                    clientId = JsonText.ReadString(ref reader);
                    break;
                case "id":
                    id = JsonText.ReadString(ref reader);
                    break;
                case "userId":
                    userId = reader.GetGuid();
                    break;
                case "at":
                    at = reader.GetInt64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new LogEntry(revision, op ?? throw new JsonException("a log entry without an op"), clientId, id, userId, at);
    }
}
